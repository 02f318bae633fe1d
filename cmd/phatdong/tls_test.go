package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tlsFiles makes a CA and a server certificate for 127.0.0.1 and localhost
// in a temporary folder, as of now.
func tlsFiles(t *testing.T, now time.Time) certFiles {
	t.Helper()
	f, err := makeCerts(filepath.Join(t.TempDir(), "tls"), "test", []string{"127.0.0.1", "localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// withTLS is cfg serving HTTPS with f's files.
func withTLS(cfg Config, f certFiles) Config {
	cfg.TLSCert, cfg.TLSKey, cfg.TLSCA = f.CertPath, f.KeyPath, f.CAPath
	return cfg
}

func TestUsageNamesTheTLSFlagsAndCert(t *testing.T) {
	var usage bytes.Buffer
	if _, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &usage); err == nil {
		t.Fatal("-h did not stop")
	}
	for _, want := range []string{"phatdong cert", "-tls-cert", "PHATDONG_TLS_CERT", "-tls-key", "PHATDONG_TLS_KEY", "-tls-ca", "PHATDONG_TLS_CA"} {
		if !strings.Contains(usage.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, usage.String())
		}
	}
}

// Every bad TLS set-up stops the server before it opens anything.
func TestOpenRefusesABadTLSSetUp(t *testing.T) {
	now := time.Now()
	good, other := tlsFiles(t, now), tlsFiles(t, now)
	expired := tlsFiles(t, now.Add(-400*24*time.Hour))
	future := tlsFiles(t, now.Add(48*time.Hour))
	garbage := writeFile(t, "garbage.pem", "not a certificate")
	tests := []struct {
		name          string
		cert, key, ca string
		want          string
	}{
		{"a certificate without a key", good.CertPath, "", "", "go together"},
		{"a CA without the rest", "", "", good.CAPath, "--tls-ca needs"},
		{"no such certificate", good.CertPath + ".missing", good.KeyPath, "", "no such file"},
		{"not PEM", garbage, good.KeyPath, "", "--tls-cert " + garbage},
		{"another certificate's key", good.CertPath, other.KeyPath, "", "private key does not match public key"},
		{"expired", expired.CertPath, expired.KeyPath, "", "expired on"},
		{"not valid yet", future.CertPath, future.KeyPath, "", "not valid before"},
		{"another CA", good.CertPath, good.KeyPath, other.CAPath, "did not sign"},
		{"the server certificate as the CA", good.CertPath, good.KeyPath, good.CertPath, "not a CA certificate"},
		{"no such CA", good.CertPath, good.KeyPath, good.CAPath + ".missing", "--tls-ca"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "phatdong.db")
			cfg := testConfig(t, db)
			cfg.TLSCert, cfg.TLSKey, cfg.TLSCA = tt.cert, tt.key, tt.ca
			s, err := Open(cfg, quiet)
			if err == nil {
				s.Close()
				t.Fatal("the server opened")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one with %q", err, tt.want)
			}
			if _, serr := os.Stat(db); !errors.Is(serr, os.ErrNotExist) {
				t.Error("a refused TLS set-up still opened the database")
			}
		})
	}
}

func TestBannerWithoutTLSWarnsOfClearText(t *testing.T) {
	r := start(t, testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	for _, want := range []string{
		"http://" + r.Addr().String() + "/mc#token=",
		"không mã hoá", "ở dạng rõ", "operator token", "button key", "phatdong cert", "--tls-cert",
	} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}
	if strings.Contains(banner.String(), "https://") || strings.Contains(banner.String(), "/trust") {
		t.Errorf("a plain server's banner speaks of HTTPS:\n%s", banner.String())
	}
}
