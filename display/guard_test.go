package display_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/display"
)

// TestHostGuard: a name the server does not answer to is refused on every
// route, the websocket included (DNS rebinding), with the error object.
func TestHostGuard(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"example.com", true}, // the fixture's --allowed-hosts
		{"EXAMPLE.com:8080", true},
		{"192.168.1.10:8080", true},
		{"[fe80::1]:8080", true},
		{"localhost:8080", true},
		{"mc.localhost", true},
		{"evil.example:8080", false},
		{"example.com.evil.example", false},
		{"", false},
	} {
		for _, path := range []string{"/api/v1/state", "/stage", "/healthz"} {
			rec := f.doWith(t, request{method: http.MethodGet, path: path}, func(r *http.Request) { r.Host = tc.host })
			if tc.ok {
				if rec.Code != http.StatusOK {
					t.Errorf("Host %q %s: status %d, want 200", tc.host, path, rec.Code)
				}
				continue
			}
			if rec.Code != http.StatusForbidden {
				t.Fatalf("Host %q %s: status %d, want 403", tc.host, path, rec.Code)
			}
			if e := errorOf(t, rec); e.Code != "forbidden" || !strings.Contains(e.Message, "--allowed-hosts") {
				t.Errorf("Host %q: error %+v", tc.host, e)
			}
		}
	}

	srv := httptest.NewServer(f.srv.Handler())
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
	h := http.Header{"Host": {"evil.example:8080"}, "Origin": {"http://evil.example:8080"}}
	conn, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err == nil {
		conn.Close()
		t.Fatal("a handshake by a rebound name was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("rebound handshake: %v, want 403", resp)
	}
}

// TestRefusedHandshakeIsAnErrorObject: the upgrader's refusals have the
// same shape as every other.
func TestRefusedHandshakeIsAnErrorObject(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.srv.Handler())
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	_, resp, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {"http://elsewhere.example"}})
	if err == nil || resp == nil {
		t.Fatalf("a foreign origin was accepted: %v", err)
	}
	checkErrorBody(t, resp, http.StatusForbidden, "forbidden", "origin")

	plain, err := http.Get(srv.URL + "/ws") // not a websocket handshake at all
	if err != nil {
		t.Fatal(err)
	}
	checkErrorBody(t, plain, http.StatusBadRequest, "invalid", "handshake")
}

func checkErrorBody(t *testing.T, resp *http.Response, status int, code, inMsg string) {
	t.Helper()
	defer resp.Body.Close()
	var body display.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Error == nil {
		t.Fatalf("status %d, body not an error object: %v", resp.StatusCode, err)
	}
	if resp.StatusCode != status || body.Error.Code != code || !strings.Contains(body.Error.Message, inMsg) {
		t.Errorf("status %d %+v, want %d %s with %q", resp.StatusCode, body.Error, status, code, inMsg)
	}
}

// TestHeaders: every page has the content policy; every answer that
// carries state, errors included, is never stored.
func TestHeaders(t *testing.T) {
	f := newFixture(t)
	page := f.do(t, request{method: http.MethodGet, path: "/stage"})
	csp := page.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy allows inline code: %q", csp)
	}
	if rp := page.Header().Get("Referrer-Policy"); rp != "same-origin" {
		t.Errorf("Referrer-Policy %q", rp)
	}
	for _, r := range []request{
		{method: http.MethodGet, path: "/api/v1/state"},
		{method: http.MethodGet, path: "/api/v1/show"},
		{method: http.MethodGet, path: "/api/v1/report"},
		{method: http.MethodGet, path: "/healthz"},
		{method: http.MethodPost, path: "/api/v1/commands", token: opToken, body: `{"type":"next"}`},
		{method: http.MethodPost, path: "/api/v1/commands", token: opToken, body: `{"type":"jump"}`},
		{method: http.MethodPost, path: "/api/v1/commands", body: `{"type":"next"}`},
	} {
		rec := f.do(t, r)
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s %s %s → %d: Cache-Control %q, want no-store", r.method, r.path, r.body, rec.Code, cc)
		}
	}
}

// TestMissingAssetIsAnErrorObject: a missing script, style or font is a
// not_found error object, not net/http's plain text, and is not cached.
func TestMissingAssetIsAnErrorObject(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/js/nope.js", "/css/nope.css", "/fonts/nope.woff2", "/fonts/", "/js/"} {
		rec := f.do(t, request{method: http.MethodGet, path: path})
		if rec.Code != http.StatusNotFound {
			t.Fatalf("%s: status %d, want 404", path, rec.Code)
		}
		if e := errorOf(t, rec); e.Code != "not_found" {
			t.Errorf("%s: error %+v", path, e)
		}
		if cc := rec.Header().Get("Cache-Control"); strings.Contains(cc, "max-age") {
			t.Errorf("%s: a missing file is cached (%q)", path, cc)
		}
	}
}
