package display_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAuthHTTP(t *testing.T) {
	next := `{"type":"next"}`
	press := `{"type":"press","button":"nut-1","pressId":"p1"}`
	tests := []struct {
		name   string
		req    request
		header string // a raw Authorization header instead of req.token
		status int
		code   string
	}{
		{"no token", request{method: "POST", path: "/api/v1/commands", body: next}, "", 401, "unauthorized"},
		{"wrong token", request{method: "POST", path: "/api/v1/commands", token: "guess", body: next}, "", 401, "unauthorized"},
		{"not a bearer", request{method: "POST", path: "/api/v1/commands", body: next}, "Basic " + opToken, 401, "unauthorized"},
		{"lower-case scheme", request{method: "POST", path: "/api/v1/commands", body: next}, "bearer " + opToken, 200, ""},
		{"operator", request{method: "POST", path: "/api/v1/commands", token: opToken, body: next}, "", 200, ""},
		{"button key cannot send next", request{method: "POST", path: "/api/v1/commands", token: buttonKey, body: next}, "", 403, "forbidden"},
		{"button key may press", request{method: "POST", path: "/api/v1/commands", token: buttonKey, body: press}, "", 409, "not_armed"},
		{"button key cannot replace the show", request{method: "PUT", path: "/api/v1/show", token: buttonKey, body: `{}`}, "", 403, "forbidden"},
		{"show needs a token", request{method: "PUT", path: "/api/v1/show", body: `{}`}, "", 401, "unauthorized"},
		{"press needs a key", request{method: "POST", path: "/api/v1/press", body: `{"button":"b","pressId":"p"}`}, "", 401, "unauthorized"},
		{"state is open", request{method: "GET", path: "/api/v1/state"}, "", 200, ""},
		{"show is open", request{method: "GET", path: "/api/v1/show"}, "", 200, ""},
		{"health is open", request{method: "GET", path: "/healthz"}, "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rec := f.doHeader(t, tt.req, tt.header)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if e := errorOf(t, rec); e.Code != tt.code {
					t.Errorf("code %q, want %q", e.Code, tt.code)
				}
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func (f *fixture) doHeader(t *testing.T, r request, header string) *httptest.ResponseRecorder {
	t.Helper()
	if header == "" {
		return f.do(t, r)
	}
	r.token = ""
	return f.doWith(t, r, func(req *http.Request) { req.Header.Set("Authorization", header) })
}

func TestAuthRateLimit(t *testing.T) {
	f := newFixture(t)
	wrong := request{method: "POST", path: "/api/v1/commands", token: "guess", body: `{"type":"next"}`, ip: "198.51.100.7"}
	for i := range f.auth.MaxFailures {
		if rec := f.do(t, wrong); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i+1, rec.Code)
		}
	}
	right := wrong
	right.token = opToken
	rec := f.do(t, right)
	if rec.Code != http.StatusTooManyRequests || errorOf(t, rec).Code != "rate_limited" {
		t.Fatalf("after %d failures: status %d %s", f.auth.MaxFailures, rec.Code, rec.Body)
	}
	if rec.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if f.engine.Snapshot().State.Seq != 0 {
		t.Error("a blocked request changed the state")
	}
	other := right
	other.ip = "198.51.100.8"
	if rec := f.do(t, other); rec.Code != http.StatusOK {
		t.Errorf("another address is blocked too: %d", rec.Code)
	}
	f.clock.Advance(f.auth.BlockFor + time.Second)
	if rec := f.do(t, right); rec.Code != http.StatusOK {
		t.Errorf("still blocked after BlockFor: %d %s", rec.Code, rec.Body)
	}
}
