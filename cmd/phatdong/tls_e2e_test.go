package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// trusting is a TLS client configuration that trusts the CA in caFile
// alone; "" trusts nothing at all (an empty pool, not the system's).
func trusting(t *testing.T, caFile string) *tls.Config {
	t.Helper()
	pool := x509.NewCertPool()
	if caFile != "" {
		data, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatal(err)
		}
		if !pool.AppendCertsFromPEM(data) {
			t.Fatalf("%s holds no certificate", caFile)
		}
	}
	return &tls.Config{RootCAs: pool}
}

// get is one GET with client c.
func get(c *http.Client, url string) (*http.Response, []byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// The whole path a technician takes: phatdong cert, then the server with
// the flags it printed; a device that trusts the CA gets the API and the
// websocket, one that does not is refused.
func TestTLSEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	var report bytes.Buffer
	if err := testCertCommand(&report, nil).run([]string{"--dir", dir}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.TLSCert, cfg.TLSKey, cfg.TLSCA = filepath.Join(dir, serverCertFile), filepath.Join(dir, serverKeyFile), filepath.Join(dir, caCertFile)
	if !strings.Contains(report.String(), "--tls-cert "+cfg.TLSCert+" --tls-key "+cfg.TLSKey+" --tls-ca "+cfg.TLSCA) {
		t.Fatalf("the report does not print these flags:\n%s", report.String())
	}
	r := start(t, cfg)
	base := "https://" + r.Addr().String()
	trusted := trusting(t, cfg.TLSCA)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: trusted.Clone()}, Timeout: 5 * time.Second}

	resp, body, err := get(client, base+"/api/v1/state")
	if err != nil {
		t.Fatalf("a client trusting ca.pem: %v", err)
	}
	var sb display.StateBody
	if resp.StatusCode != 200 || json.Unmarshal(body, &sb) != nil || sb.State.Show.Title == "" {
		t.Fatalf("state over HTTPS: %d %s", resp.StatusCode, body)
	}
	if v := resp.TLS.Version; v < tls.VersionTLS12 {
		t.Errorf("TLS version %x", v)
	}
	// HTTP/1.1 even for a client that offers HTTP/2, as browsers do: the
	// websocket is an HTTP/1.1 upgrade.
	h2 := &http.Client{Transport: &http.Transport{TLSClientConfig: trusted.Clone(), ForceAttemptHTTP2: true}, Timeout: 5 * time.Second}
	if resp, _, err := get(h2, base+"/healthz"); err != nil || resp.ProtoMajor != 1 {
		t.Errorf("a client offering h2: %v, %v; want HTTP/1.1", resp, err)
	}

	d := websocket.Dialer{TLSClientConfig: trusted, HandshakeTimeout: 5 * time.Second}
	ws, _, err := d.Dial("wss://"+r.Addr().String()+"/ws", nil)
	if err != nil {
		t.Fatalf("wss: %v", err)
	}
	defer ws.Close()
	if err := ws.WriteJSON(protocoltest.Stage("Màn LED chính")); err != nil {
		t.Fatal(err)
	}
	m, err := protocoltest.Next(ws, protocoltest.Wait)
	if err != nil || m.Type != protocol.TypeWelcome {
		t.Fatalf("first message over wss: %+v, %v; want the welcome", m, err)
	}

	// A device that has not installed the CA is refused, on both paths.
	stranger := &http.Client{Transport: &http.Transport{TLSClientConfig: trusting(t, "")}, Timeout: 5 * time.Second}
	var unknown x509.UnknownAuthorityError
	if _, _, err := get(stranger, base+"/api/v1/state"); !errors.As(err, &unknown) {
		t.Errorf("a client without the CA: %v, want unknown authority", err)
	}
	sd := websocket.Dialer{TLSClientConfig: trusting(t, ""), HandshakeTimeout: 5 * time.Second}
	if _, _, err := sd.Dial("wss://"+r.Addr().String()+"/ws", nil); !errors.As(err, &unknown) {
		t.Errorf("wss without the CA: %v, want unknown authority", err)
	}
	// Nor does the port speak plain HTTP any more.
	if resp, _, err := get(&http.Client{Timeout: 5 * time.Second}, "http://"+r.Addr().String()+"/api/v1/state"); err == nil && resp.StatusCode == 200 {
		t.Error("plain HTTP still answers the state")
	}
}

func TestTLSTrustPageAndBanner(t *testing.T) {
	f := tlsFiles(t, time.Now())
	r := start(t, withTLS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")), f))
	base := "https://" + r.Addr().String()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: trusting(t, f.CAPath)}, Timeout: 5 * time.Second}
	fp := display.Fingerprint(f.CA.Raw)

	resp, body, err := get(client, base+"/trust")
	if err != nil || resp.StatusCode != 200 || !bytes.Contains(body, []byte(fp)) || !bytes.Contains(body, []byte(`href="/trust/ca.crt"`)) {
		t.Fatalf("/trust: %v %v, fingerprint shown: %v", resp, err, bytes.Contains(body, []byte(fp)))
	}
	resp, body, err = get(client, base+"/trust/ca.crt")
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(body, f.CA.Raw) {
		t.Fatalf("/trust/ca.crt: %v %v: not the CA", resp, err)
	}
	if _, body, _ := get(client, base+"/"); !bytes.Contains(body, []byte(`href="/trust"`)) {
		t.Errorf("the index does not list /trust: %s", body)
	}

	var banner bytes.Buffer
	r.PrintBanner(&banner)
	for _, want := range []string{
		base + "/mc#token=" + testToken, base + "/stage", "https://", "/trust", fp, "--cacert " + f.CAPath, "HTTPS đang bật",
	} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}
	if strings.Contains(banner.String(), "http://") || strings.Contains(banner.String(), "dạng rõ") {
		t.Errorf("an HTTPS server's banner speaks of plain HTTP:\n%s", banner.String())
	}
}

// A server on HTTPS without --tls-ca has no CA to offer: no /trust.
func TestTLSWithoutCAHasNoTrustPage(t *testing.T) {
	f := tlsFiles(t, time.Now())
	cfg := withTLS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")), f)
	cfg.TLSCA = ""
	r := start(t, cfg)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: trusting(t, f.CAPath)}, Timeout: 5 * time.Second}
	for _, path := range []string{"/trust", "/trust/ca.crt"} {
		resp, body, err := get(client, "https://"+r.Addr().String()+path)
		if err != nil || resp.StatusCode != 404 || !bytes.Contains(body, []byte(`"not_found"`)) {
			t.Errorf("%s: %v %s, want the not_found error object", path, err, body)
		}
	}
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	if !strings.Contains(banner.String(), "Không có --tls-ca") || strings.Contains(banner.String(), "Dấu vân tay") {
		t.Errorf("banner:\n%s", banner.String())
	}
}
