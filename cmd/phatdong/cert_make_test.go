package main

import (
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var certNow = time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)

// readCert reads a PEM certificate file of a test.
func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseCertPEM(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

func TestMakeCertsNamesAndChain(t *testing.T) {
	names := []string{"10.0.0.2", "192.168.1.20", "hoitruong", "hoitruong.local", "localhost", "127.0.0.1", "::1", "du-phong.lan", "10.0.0.3"}
	f, err := makeCerts(t.TempDir(), "hoitruong", names, certNow)
	if err != nil {
		t.Fatal(err)
	}
	ca, srv := readCert(t, f.CAPath), readCert(t, f.CertPath)
	if !ca.Equal(f.CA) || !srv.Equal(f.Server) {
		t.Fatal("the files hold other certificates than makeCerts returned")
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			opts := x509.VerifyOptions{Roots: roots, DNSName: n, CurrentTime: certNow.Add(time.Minute),
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
			if _, err := srv.Verify(opts); err != nil {
				t.Errorf("the chain does not verify for %s: %v", n, err)
			}
		})
	}
	ips := make([]string, len(srv.IPAddresses))
	for i, ip := range srv.IPAddresses {
		ips[i] = ip.String()
	}
	if want := []string{"10.0.0.2", "192.168.1.20", "127.0.0.1", "::1", "10.0.0.3"}; !slices.Equal(ips, want) {
		t.Errorf("IP SANs %v, want %v", ips, want)
	}
	if want := []string{"hoitruong", "hoitruong.local", "localhost", "du-phong.lan"}; !slices.Equal(srv.DNSNames, want) {
		t.Errorf("DNS SANs %v, want %v", srv.DNSNames, want)
	}
	opts := x509.VerifyOptions{Roots: roots, DNSName: "10.0.0.9", CurrentTime: certNow}
	if _, err := srv.Verify(opts); err == nil {
		t.Error("the certificate verifies for an address it does not name")
	}
}

func TestMakeCertsValidityAndUsage(t *testing.T) {
	f, err := makeCerts(t.TempDir(), "hoitruong", []string{"localhost"}, certNow)
	if err != nil {
		t.Fatal(err)
	}
	ca, srv := f.CA, f.Server
	tests := []struct {
		name string
		ok   bool
	}{
		{"CA is a CA that signs certificates", ca.IsCA && ca.BasicConstraintsValid && ca.KeyUsage&x509.KeyUsageCertSign != 0 && ca.MaxPathLenZero},
		{"CA named after the machine", ca.Subject.CommonName == "phatdong CA (hoitruong)"},
		{"CA valid from a little before now", !ca.NotBefore.After(certNow) && certNow.Sub(ca.NotBefore) <= time.Hour},
		{"CA valid 10 years", ca.NotAfter.Sub(certNow) == caLifetime},
		{"CA is ECDSA P-256", ca.PublicKeyAlgorithm == x509.ECDSA && ca.SignatureAlgorithm == x509.ECDSAWithSHA256},
		{"server is not a CA", !srv.IsCA},
		{"server for TLS servers only", slices.Equal(srv.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth})},
		{"server valid from a little before now", !srv.NotBefore.After(certNow) && certNow.Sub(srv.NotBefore) <= time.Hour},
		{"server valid 397 days in all (Apple: at most 398)", srv.NotAfter.Sub(srv.NotBefore) == 397*24*time.Hour},
		{"server is ECDSA P-256", srv.PublicKeyAlgorithm == x509.ECDSA},
		{"server signed by the CA", srv.CheckSignatureFrom(ca) == nil},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("%s: CA %v–%v, server %v–%v", tt.name, ca.NotBefore, ca.NotAfter, srv.NotBefore, srv.NotAfter)
		}
	}
}

func TestMakeCertsFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix modes")
	}
	dir := filepath.Join(t.TempDir(), "tls")
	if _, err := makeCerts(dir, "h", []string{"localhost"}, certNow); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		mode os.FileMode
	}{
		{caKeyFile, 0o600}, {serverKeyFile, 0o600}, {caCertFile, 0o644}, {serverCertFile, 0o644},
	}
	for _, tt := range tests {
		fi, err := os.Stat(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != tt.mode {
			t.Errorf("%s: mode %v, want %v", tt.file, fi.Mode().Perm(), tt.mode)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("the folder holds %d files, want the 4 (no temporary file left)", len(entries))
	}
}

func TestMakeCertsKeepsTheCA(t *testing.T) {
	dir := t.TempDir()
	first, err := makeCerts(dir, "h", []string{"10.0.0.2"}, certNow)
	if err != nil {
		t.Fatal(err)
	}
	caKey, err := os.ReadFile(first.CAKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	second, err := makeCerts(dir, "h", []string{"10.0.0.5"}, certNow.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !first.CACreated || second.CACreated {
		t.Errorf("CACreated %v then %v, want true then false", first.CACreated, second.CACreated)
	}
	if !second.CA.Equal(first.CA) || !readCert(t, second.CAPath).Equal(first.CA) {
		t.Error("the second run replaced the CA")
	}
	if again, _ := os.ReadFile(second.CAKeyPath); string(again) != string(caKey) {
		t.Error("the second run replaced the CA's key")
	}
	if second.Server.SerialNumber.Cmp(first.Server.SerialNumber) == 0 || second.Server.PublicKeyAlgorithm != x509.ECDSA {
		t.Error("the server certificate was not reissued")
	}
	if got := readCert(t, second.CertPath); got.VerifyHostname("10.0.0.5") != nil || got.VerifyHostname("10.0.0.2") == nil {
		t.Errorf("server.pem names %v, want the second run's address only", got.IPAddresses)
	}
	if err := readCert(t, second.CertPath).CheckSignatureFrom(first.CA); err != nil {
		t.Errorf("the new server certificate is not signed by the kept CA: %v", err)
	}
}

func TestMakeCertsRefusesABrokenCA(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir, other string)
		want  string
	}{
		{"certificate without its key", func(t *testing.T, dir, _ string) {
			os.Remove(filepath.Join(dir, caKeyFile))
		}, caCertFile + " to make a new CA"},
		{"key without its certificate", func(t *testing.T, dir, _ string) {
			os.Remove(filepath.Join(dir, caCertFile))
		}, caKeyFile + " to make a new CA"},
		{"another CA's key", func(t *testing.T, dir, other string) {
			copyFile(t, filepath.Join(other, caKeyFile), filepath.Join(dir, caKeyFile))
		}, "is not the key of"},
		{"a server certificate in ca.pem", func(t *testing.T, dir, _ string) {
			copyFile(t, filepath.Join(dir, serverCertFile), filepath.Join(dir, caCertFile))
			copyFile(t, filepath.Join(dir, serverKeyFile), filepath.Join(dir, caKeyFile))
		}, "not a CA certificate"},
		{"not PEM", func(t *testing.T, dir, _ string) {
			os.WriteFile(filepath.Join(dir, caCertFile), []byte("hello"), 0o644)
		}, "no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, other := t.TempDir(), t.TempDir()
			for _, d := range []string{dir, other} {
				if _, err := makeCerts(d, "h", []string{"localhost"}, certNow); err != nil {
					t.Fatal(err)
				}
			}
			tt.spoil(t, dir, other)
			_, err := makeCerts(dir, "h", []string{"localhost"}, certNow)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "cert: ") {
				t.Fatalf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}

func TestMakeCertsRefusesAnExpiredCA(t *testing.T) {
	dir := t.TempDir()
	if _, err := makeCerts(dir, "h", []string{"localhost"}, certNow); err != nil {
		t.Fatal(err)
	}
	_, err := makeCerts(dir, "h", []string{"localhost"}, certNow.Add(caLifetime+time.Hour))
	if err == nil || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "move") {
		t.Fatalf("error %v, want the CA expired", err)
	}
}

func TestCertNames(t *testing.T) {
	lan := []net.IP{net.IPv4(10, 0, 0, 2), net.IPv4(192, 168, 1, 20)}
	tests := []struct {
		name, hostname string
		extra          []string
		want           []string
		err            string
	}{
		{name: "machine only", hostname: "HoiTruong",
			want: []string{"10.0.0.2", "192.168.1.20", "hoitruong", "hoitruong.local", "localhost", "127.0.0.1", "::1"}},
		{name: "an mDNS hostname", hostname: "pi.local",
			want: []string{"10.0.0.2", "192.168.1.20", "pi.local", "localhost", "127.0.0.1", "::1"}},
		{name: "a hostname that is not a DNS name is left out", hostname: "my_pc",
			want: []string{"10.0.0.2", "192.168.1.20", "localhost", "127.0.0.1", "::1"}},
		{name: "peers, each once", hostname: "h", extra: []string{"10.0.0.3", "Du-Phong.lan.", "10.0.0.2", "localhost", "fd00::5"},
			want: []string{"10.0.0.2", "192.168.1.20", "h", "h.local", "localhost", "127.0.0.1", "::1", "10.0.0.3", "du-phong.lan", "fd00::5"}},
		{name: "a URL is not a host", hostname: "h", extra: []string{"https://10.0.0.3"}, err: `"https://10.0.0.3"`},
		{name: "a port is not a host", hostname: "h", extra: []string{"du-phong:8080"}, err: "neither a host name nor an IP address"},
		{name: "a space is not a host", hostname: "h", extra: []string{"du phong"}, err: "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := certNames(tt.hostname, lan, tt.extra)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("names %v\nwant      %v", got, tt.want)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
