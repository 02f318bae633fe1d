package display_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"golang.org/x/text/unicode/norm"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
	"github.com/phatdong/phatdong/static"
)

func TestFingerprint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"},
		{"abc", "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"},
	}
	for _, tt := range tests {
		if got := display.Fingerprint([]byte(tt.in)); got != tt.want {
			t.Errorf("Fingerprint(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// tlsServer is a test server on HTTPS whose own certificate (httptest's,
// a CA) is offered at /trust, with the real pages; client trusts it.
func tlsServer(t *testing.T) (srv *displaytest.Server, ca *x509.Certificate, client *http.Client) {
	t.Helper()
	// httptest's certificate is the same for every server: take it from one.
	probe := displaytest.Start(t, displaytest.Options{TLS: true})
	ca = probe.HTTP.Certificate()
	srv = displaytest.Start(t, displaytest.Options{TLS: true, TrustCA: ca.Raw, Pages: static.FS})
	return srv, ca, srv.HTTP.Client()
}

func read(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestTrustPage(t *testing.T) {
	srv, ca, client := tlsServer(t)
	resp, body := read(t, client, srv.URL+"/trust")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	page := string(body)
	fp := display.Fingerprint(ca.Raw)
	if want := "<span>" + fp[0:24] + "</span><span>" + fp[24:48] + "</span><span>" + fp[48:72] + "</span><span>" + fp[72:] + "</span>"; !strings.Contains(page, want) {
		t.Errorf("the page does not show the fingerprint in four parts %s", want)
	}
	for _, want := range []string{
		display.Fingerprint(ca.Raw), ca.Subject.CommonName, ca.NotAfter.Format("02/01/2006"),
		`href="/trust/ca.crt"`, `download="phatdong-ca.crt"`, `href="/css/trust.css"`,
		"iPad", "Quản lý VPN &amp; thiết bị", "Cài đặt tin cậy chứng nhận", "Android", "Chứng chỉ CA",
		"Windows", "Trusted Root Certification Authorities", "Local Machine", "macOS", "Always Trust",
		"Raspberry Pi", "<code>ca = /etc/phatdong/ca.pem</code>", "--ca",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "{{") || strings.Contains(page, " style=") {
		t.Error("the page has a script, an inline style or an unfilled template field")
	}
	if !utf8.ValidString(page) || !norm.NFC.IsNormalString(page) {
		t.Error("the page is not NFC UTF-8")
	}
	if resp, _ := read(t, client, srv.URL+"/css/trust.css"); resp.StatusCode != 200 {
		t.Errorf("trust.css: %d", resp.StatusCode)
	}
	if _, index := read(t, client, srv.URL+"/"); !bytes.Contains(index, []byte(`href="/trust"`)) {
		t.Errorf("the index does not list the trust page: %s", index)
	}
}

func TestTrustCADownload(t *testing.T) {
	srv, ca, client := tlsServer(t)
	resp, body := read(t, client, srv.URL+display.TrustCAPath)
	if resp.StatusCode != 200 || !bytes.Equal(body, ca.Raw) {
		t.Fatalf("status %d; the body is the CA's DER: %v", resp.StatusCode, bytes.Equal(body, ca.Raw))
	}
	for header, want := range map[string]string{
		"Content-Type":        "application/x-x509-ca-cert",
		"Content-Disposition": `attachment; filename="phatdong-ca.crt"`,
		"Cache-Control":       "no-cache",
	} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s %q, want %q", header, got, want)
		}
	}
}

func TestNoTrustWithoutCA(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{Pages: static.FS})
	for _, path := range []string{"/trust", "/trust/ca.crt"} {
		resp, body := read(t, srv.HTTP.Client(), srv.URL+path)
		if resp.StatusCode != 404 || !strings.Contains(string(body), `"code":"`+controller.ENOTFOUND+`"`) {
			t.Errorf("%s: %d %s, want the not_found error object", path, resp.StatusCode, body)
		}
	}
	if _, index := read(t, srv.HTTP.Client(), srv.URL+"/"); bytes.Contains(index, []byte("/trust")) {
		t.Errorf("the index of a server without a CA lists the trust page: %s", index)
	}
}

func TestNewRefusesABadTrustCA(t *testing.T) {
	probe := displaytest.Start(t, displaytest.Options{TLS: true})
	tests := []struct {
		name  string
		der   []byte
		pages fstest.MapFS
		want  string
	}{
		{"not DER", []byte("hello"), nil, "TrustCA"},
		{"not a CA", leafCert(t), nil, "not a CA"},
		{"a broken page", probe.HTTP.Certificate().Raw, fstest.MapFS{"trust.html": {Data: []byte("{{.Nope")}}, "trust.html"},
		{"a field the page does not have", probe.HTTP.Certificate().Raw, fstest.MapFS{"trust.html": {Data: []byte("{{.Nope}}")}}, "Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := display.New(display.Config{Engine: probe.Engine, Auth: probe.Display.Auth(), TrustCA: tt.der, Pages: tt.pages})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "display: ") {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}
}

// leafCert is the DER of a self-signed certificate that is not a CA.
func leafCert(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// A screen on wss gets the welcome and then each new state, like one on ws.
func TestWebsocketOverTLSGetsBroadcasts(t *testing.T) {
	srv, _, client := tlsServer(t)
	// The test server's client trusts its certificate; the dialer clones it.
	d := websocket.Dialer{TLSClientConfig: client.Transport.(*http.Transport).TLSClientConfig, HandshakeTimeout: 5 * time.Second}
	conns := make([]*websocket.Conn, 2)
	for i := range conns {
		ws, _, err := d.Dial(srv.WSURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		if err := ws.WriteJSON(protocoltest.Stage("Màn LED")); err != nil {
			t.Fatal(err)
		}
		if m, err := protocoltest.Next(ws, protocoltest.Wait); err != nil || m.Type != protocol.TypeWelcome {
			t.Fatalf("first message %+v, %v; want the welcome", m, err)
		}
		conns[i] = ws
	}
	if _, err := srv.Engine.Execute(controller.Command{Type: controller.CmdMessage, Text: "Xin chào qua TLS"}, controller.Actor{Role: "operator", Name: "test"}); err != nil {
		t.Fatal(err)
	}
	for i, ws := range conns {
		for {
			m, err := protocoltest.Next(ws, protocoltest.Wait)
			if err != nil {
				t.Fatalf("screen %d: %v", i, err)
			}
			var st protocol.StateMsg
			if m.Type != protocol.TypeState {
				continue
			}
			m.Decode(t, &st)
			if st.State.Message.Text == "Xin chào qua TLS" {
				break
			}
		}
	}
}
