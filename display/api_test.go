package display_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
)

const (
	opToken   = "operator-token-for-tests"
	buttonKey = "button-key-for-tests"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After never fires unless d is already due: the fixture runs no expiry
// loop, tests call the engine's Expire.
func (c *testClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.Now()
	}
	return ch
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	srv    *display.Server
	engine *controller.Engine
	store  *bolt.Store
	clock  *testClock
	auth   *display.Auth
}

// newFixture builds a server on a real bbolt store in a temporary directory
// with the default show and a fake clock.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureLog(t, io.Discard)
}

// newFixtureLog is newFixture with the server's log written to w.
func newFixtureLog(t testing.TB, w io.Writer) *fixture {
	t.Helper()
	return newFixtureWith(t, w, func(*display.Config) {})
}

// newFixtureWith is newFixtureLog with the server's Config changed by
// change before the server is built.
func newFixtureWith(t testing.TB, w io.Writer, change func(*display.Config)) *fixture {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine, err := controller.Open(controller.Config{Store: store, Clock: clock, DefaultShow: show, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := access.Open(access.Options{Store: store, Admin: opToken, Shared: buttonKey, Now: clock.Now,
		ForgetShared: func() error { return store.DeleteSecret("button-key") }})
	if err != nil {
		t.Fatal(err)
	}
	auth := display.NewAuth(reg)
	auth.Now = clock.Now
	cfg := display.Config{
		Engine: engine, Auth: auth, Log: log,
		AllowedHosts: []string{"example.com"}, // httptest.NewRequest's Host
		StoreStats:   func() (any, error) { return store.Stats() },
		Pages: fstest.MapFS{
			"stage.html":   {Data: []byte("<!doctype html><title>Sân khấu</title>")},
			"mc.html":      {Data: []byte("<!doctype html><title>MC</title>")},
			"js/link.js":   {Data: []byte("export const x = 1;")},
			"css/base.css": {Data: []byte("body{}")},
		},
	}
	change(&cfg)
	srv, err := display.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, engine: engine, store: store, clock: clock, auth: auth}
}

// request is one HTTP call of a table test.
type request struct {
	method, path, token, body string
	ip                        string // remote address; "" is 192.0.2.1
}

func (f *fixture) do(t testing.TB, r request) *httptest.ResponseRecorder {
	t.Helper()
	return f.doWith(t, r, nil)
}

// doWith is do with a hook to change the request before it is served.
func (f *fixture) doWith(t testing.TB, r request, change func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.RemoteAddr = "192.0.2.1:40000"
	if r.ip != "" {
		req.RemoteAddr = r.ip + ":40000"
	}
	if change != nil {
		change(req)
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// command posts one command with the operator token.
func (f *fixture) command(t testing.TB, body string) *httptest.ResponseRecorder {
	t.Helper()
	return f.do(t, request{method: http.MethodPost, path: "/api/v1/commands", token: opToken, body: body})
}

// mustCommand posts a command that must be accepted.
func (f *fixture) mustCommand(t testing.TB, body string) display.StateBody {
	t.Helper()
	rec := f.command(t, body)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", body, rec.Code, rec.Body)
	}
	return decode[display.StateBody](t, rec)
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, rec.Body)
	}
	return v
}

// errorOf decodes an error answer and checks its shape.
func errorOf(t testing.TB, rec *httptest.ResponseRecorder) controller.Error {
	t.Helper()
	body := decode[display.ErrorBody](t, rec)
	if body.Error == nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not an error object: %s", rec.Body)
	}
	return *body.Error
}

func TestGetState(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/state"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := decode[display.StateBody](t, rec)
	if body.ServerTime != f.clock.Now().UnixMilli() {
		t.Errorf("serverTime %d, want %d", body.ServerTime, f.clock.Now().UnixMilli())
	}
	if body.State.ShowRev != 1 || body.State.Current.ID != "don-tiep" || body.State.Next == nil || body.Answer != nil {
		t.Errorf("state: %+v", body)
	}
	if !strings.Contains(body.State.Show.Title, "Bình dân học vụ số") {
		t.Errorf("title %q", body.State.Show.Title)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, request{method: http.MethodGet, path: "/healthz"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var body struct {
		Status string     `json:"status"`
		Seq    uint64     `json:"seq"`
		Store  bolt.Stats `json:"store"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body.Status != "ok" || !body.Store.HasShow || body.Store.JournalEntries == 0 {
		t.Errorf("health: %s", rec.Body)
	}
	f.srv.Close()
	if rec := f.do(t, request{method: http.MethodGet, path: "/healthz"}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("while closing: status %d", rec.Code)
	}
}
