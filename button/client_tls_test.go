package button

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/displaytest"
)

// writeCA writes der as a PEM (or raw DER) file and returns its path.
func writeCA(t *testing.T, der []byte, asPEM bool) string {
	t.Helper()
	data := der
	if asPEM {
		data = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// selfSigned is the DER of a new self-signed certificate, a CA or not.
func selfSigned(t *testing.T, isCA bool) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "another CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: isCA, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestReadCAFile(t *testing.T) {
	ca := selfSigned(t, true)
	tests := []struct {
		name string
		path string
		want string // in the error; "" for none
	}{
		{"PEM, as phatdong cert writes it", writeCA(t, ca, true), ""},
		{"DER, as /trust/ca.crt serves it", writeCA(t, ca, false), ""},
		{"not a CA", writeCA(t, selfSigned(t, false), true), "not a CA certificate"},
		{"not a certificate", writeCA(t, []byte("hello"), false), "neither a PEM certificate nor a DER one"},
		{"no such file", filepath.Join(t.TempDir(), "ca.pem"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool, certs, err := ReadCAFile(tt.path)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "button: ca") {
					t.Fatalf("error %v, want one with %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(certs) != 1 || string(certs[0].Raw) != string(ca) || pool == nil {
				t.Fatalf("read %d certificates", len(certs))
			}
			if !pool.Equal(func() *x509.CertPool { p := x509.NewCertPool(); p.AddCert(certs[0]); return p }()) {
				t.Error("the pool is not the CA alone")
			}
		})
	}
}

// startTLSLeader runs an agent for id whose configuration names ca, on
// the real dialer, until the test ends.
func startTLSLeader(t *testing.T, url, key, id, ca string) *leader {
	t.Helper()
	ld := &leader{pin: NewSimPin("GPIO17"), logs: &logBuffer{}}
	in, err := NewInput(ld.pin, quick)
	if err != nil {
		t.Fatal(err)
	}
	ld.agent, err = NewAgent(AgentConfig{Server: url, Key: key, ButtonID: id, CA: ca},
		AgentOptions{Log: slog.New(slog.NewTextHandler(ld.logs, nil)), OnResult: func(r PressResult) {
			ld.mu.Lock()
			ld.results = append(ld.results, r)
			ld.mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ld.agent.Serve(ctx, in) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("leader %s log:\n%s", id, ld.logs)
		}
	})
	return ld
}

// An agent given the server's CA presses over wss; one without it, or
// with another CA, is refused, and its log says it was the certificate.
func TestEndToEndOverTLS(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{TLS: true, OperatorToken: e2eOperatorToken})
	if !strings.HasPrefix(srv.WSURL, "wss://") {
		t.Fatalf("server at %s", srv.WSURL)
	}
	rs := &realServer{engine: srv.Engine, store: srv.Store, url: srv.WSURL}
	caFile := writeCA(t, srv.HTTP.Certificate().Raw, true)

	trusted := startTLSLeader(t, srv.WSURL, srv.ButtonKey(t, "nut-1"), "nut-1", caFile)
	stranger := startTLSLeader(t, srv.WSURL, srv.ButtonKey(t, "nut-2"), "nut-2", "")
	other := startTLSLeader(t, srv.WSURL, srv.ButtonKey(t, "nut-3"), "nut-3", writeCA(t, selfSigned(t, true), true))

	if !trusted.logs.has("certificate must come from this CA", caFile, "sha256=") {
		t.Errorf("the agent does not log the CA it trusts")
	}
	rs.exec(t, controller.Command{Type: controller.CmdArm})
	trusted.light(t, SlowBlink)
	trusted.tap()
	waitFor(t, "the answer", func() bool { return len(trusted.resultList()) == 1 })
	if r := trusted.resultList()[0]; r.Outcome != controller.OutcomeFired {
		t.Errorf("press over wss: %+v, want fired", r)
	}
	if l := srv.Engine.Snapshot().State.Launch; l.Source != "button:nut-1" {
		t.Errorf("launch source %q", l.Source)
	}

	for _, ld := range []*leader{stranger, other} {
		waitFor(t, "the refusal in the log", func() bool {
			return ld.logs.has("cannot reach the server", "not signed by a trusted CA", "set ca to the server")
		})
		if ld.logs.has("button: connected") {
			t.Errorf("an agent without the server's CA connected")
		}
		if s := ld.agent.LED().State(); s != FastBlink {
			t.Errorf("LED %s, want fast blink (no server)", s)
		}
	}
}

func TestNewAgentRefusesABadCA(t *testing.T) {
	tests := []struct {
		name, server, ca, want string
	}{
		{"missing file", "wss://10.0.0.2:8080/ws", filepath.Join(t.TempDir(), "nope.pem"), "no such file"},
		{"not a certificate", "wss://10.0.0.2:8080/ws", writeCA(t, []byte("hello"), false), "button: ca"},
		{"a CA for a clear-text server", "ws://10.0.0.2:8080/ws", writeCA(t, selfSigned(t, true), true), "not encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewAgent(AgentConfig{Server: tt.server, Key: testKey, ButtonID: "nut-1", CA: tt.ca}, AgentOptions{Log: slog.New(slog.DiscardHandler)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}
