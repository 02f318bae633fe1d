package display_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestErrorsAreErrorObjects(t *testing.T) {
	f := newFixture(t)
	f.srv.Echo().GET("/test-panic", func(echo.Context) error { panic("boom: secret detail") })
	tests := []struct {
		req    request
		status int
		code   string
	}{
		{request{method: http.MethodGet, path: "/test-panic"}, 500, "internal"},
		{request{method: http.MethodGet, path: "/api/v1/nothing"}, 404, "not_found"},
		{request{method: http.MethodDelete, path: "/api/v1/show", token: opToken}, 405, "invalid"},
	}
	for _, tt := range tests {
		rec := f.do(t, tt.req)
		if rec.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.req.method, tt.req.path, rec.Code, tt.status)
			continue
		}
		if e := errorOf(t, rec); e.Code != tt.code || strings.Contains(e.Message, "secret") {
			t.Errorf("%s %s: error %+v", tt.req.method, tt.req.path, e)
		}
	}
	// The server still answers after a panic.
	if rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/state"}); rec.Code != http.StatusOK {
		t.Errorf("after a panic: %d", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	f.mustCommand(t, `{"type":"next"}`)
	f.command(t, `{"type":"previous"}`)
	f.command(t, `{"type":"previous"}`)
	f.do(t, request{method: http.MethodPost, path: "/api/v1/commands", token: "wrong", body: `{"type":"next"}`})
	rec := f.do(t, request{method: http.MethodGet, path: "/metrics"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`phatdong_http_commands_total{outcome="accepted",type="next"} 1`,
		`phatdong_http_commands_total{outcome="accepted",type="previous"} 1`,
		`phatdong_http_commands_total{outcome="conflict",type="previous"} 1`,
		`phatdong_http_auth_failures_total 1`,
		`phatdong_state_seq 2`,
		`phatdong_http_command_seconds_count{type="next"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, secret := range []string{opToken, buttonKey} {
		if strings.Contains(body, secret) {
			t.Error("metrics expose a secret")
		}
	}
}

func TestLogsNeverHoldATokenOrABody(t *testing.T) {
	var buf syncBuffer
	f := newFixtureLog(t, &buf)
	f.mustCommand(t, `{"type":"message","text":"riêng cho diễn giả"}`)
	f.do(t, request{method: http.MethodPost, path: "/api/v1/commands?token=" + opToken, token: buttonKey, body: `{"type":"next"}`})
	f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: "guess-" + opToken, body: `{}`})
	f.do(t, request{method: http.MethodGet, path: "/api/v1/state"})
	out := buf.String()
	if !strings.Contains(out, "path=/api/v1/commands") || !strings.Contains(out, "status=403") {
		t.Fatalf("no request log:\n%s", out)
	}
	for _, secret := range []string{opToken, buttonKey, "riêng cho diễn giả"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

func TestChunkedBodyOverTheLimit(t *testing.T) {
	f := newFixture(t)
	big := `{"type":"message","text":"` + strings.Repeat("x", 10_000) + `"}`
	rec := f.doWith(t, request{method: http.MethodPost, path: "/api/v1/commands", token: opToken, body: big}, func(r *http.Request) {
		r.ContentLength = -1 // as with Transfer-Encoding: chunked
	})
	if rec.Code != http.StatusRequestEntityTooLarge || errorOf(t, rec).Code != "too_large" {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestStoreFailureIsInternal(t *testing.T) {
	f := newFixture(t)
	f.store.Close() // the disk is gone
	rec := f.command(t, `{"type":"next"}`)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if e := errorOf(t, rec); e.Code != "internal" || e.Message != "internal error" {
		t.Errorf("error %+v: internal details must not leak", e)
	}
	if f.engine.Snapshot().State.Current != 0 {
		t.Error("a command that was not committed changed the state")
	}
	if rec := f.do(t, request{method: http.MethodGet, path: "/healthz"}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed store: %d", rec.Code)
	}
}
