package display

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// nowClock is a clock the test moves by hand.
type nowClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *nowClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *nowClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRateLimiterBuckets(t *testing.T) {
	c := &nowClock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(DefaultAPIBurst, DefaultAPIPerSec)
	l.Now = c.Now
	// steps: take from ip n times, or advance the clock by d; want is how
	// many of the n were allowed, wait the wait told to the first refused.
	tests := []struct {
		name    string
		ip      string
		n       int
		advance time.Duration
		want    int
		wait    time.Duration
	}{
		{name: "a burst of 40 passes, the 41st waits one token", ip: "10.0.0.1", n: 41, want: 40, wait: 50 * time.Millisecond},
		{name: "another address has its own bucket", ip: "10.0.0.2", n: 40, want: 40},
		{name: "a token comes back every 50 ms", ip: "10.0.0.1", advance: 50 * time.Millisecond, n: 2, want: 1, wait: 50 * time.Millisecond},
		{name: "half a token is not enough", ip: "10.0.0.1", advance: 25 * time.Millisecond, n: 1, want: 0, wait: 25 * time.Millisecond},
		{name: "the bucket fills up to the burst, no more", ip: "10.0.0.1", advance: time.Hour, n: 41, want: 40, wait: 50 * time.Millisecond},
	}
	for _, tt := range tests {
		c.Advance(tt.advance)
		got, wait := 0, time.Duration(0)
		for range tt.n {
			w, ok := l.Take(tt.ip)
			if ok {
				got++
			} else if wait == 0 {
				wait = w
			}
		}
		if got != tt.want || (wait-tt.wait).Abs() > time.Millisecond {
			t.Errorf("%s: %d of %d allowed, wait %v; want %d, wait %v", tt.name, got, tt.n, wait, tt.want, tt.wait)
		}
	}
}

func TestRateLimiterMemoryIsBounded(t *testing.T) {
	c := &nowClock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(2, 1)
	l.Now = c.Now
	for i := range maxTrackedClients + 100 {
		l.Take(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if i == maxTrackedClients/2 {
			c.Advance(time.Second) // the first half fill up again and may be forgotten
		}
	}
	l.mu.Lock()
	n := len(l.clients)
	l.mu.Unlock()
	if n > maxTrackedClients {
		t.Fatalf("the limiter remembers %d addresses, more than %d", n, maxTrackedClients)
	}
}

// limitedServer is the HTTP edge on a real engine and store, with its
// request limiter on a clock the test moves.
type limitedServer struct {
	srv    *Server
	engine *controller.Engine
	store  *bolt.Store
	clock  *nowClock
}

func newLimitedServer(t *testing.T) *limitedServer {
	t.Helper()
	engine, store := testEngine(t)
	c := &nowClock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)}
	limit := NewRateLimiter(DefaultAPIBurst, DefaultAPIPerSec)
	limit.Now = c.Now
	srv, err := New(Config{Engine: engine, Auth: testAuth(t, testToken, testKey), Log: quietLog(),
		RateLimit: limit, AllowedHosts: []string{"example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &limitedServer{srv: srv, engine: engine, store: store, clock: c}
}

func (ls *limitedServer) do(method, path, body, ip string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	ls.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// message is a command that is accepted whatever came before: a new text
// each time.
func message(i int) string { return fmt.Sprintf(`{"type":"message","text":"Tin %d"}`, i) }

func TestAPIRateLimit(t *testing.T) {
	ls := newLimitedServer(t)
	const a, b = "192.0.2.1", "192.0.2.2"
	for i := range DefaultAPIBurst {
		if rec := ls.do("POST", "/api/v1/commands", message(i), a); rec.Code != http.StatusOK {
			t.Fatalf("request %d of the burst: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	seq := ls.engine.Snapshot().State.Seq
	journal := storeStats(t, ls.store).JournalEntries

	// Over the limit, on every authenticated route, whatever the body:
	// 429 with Retry-After, and nothing changes.
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/commands", message(99)},
		{"POST", "/api/v1/commands", `{"type":"fire"}`},
		{"POST", "/api/v1/press", `{"button":"nut-1","pressId":"p1"}`},
		{"PUT", "/api/v1/show", `{}`},
		{"GET", "/api/v1/credentials", ""},
	} {
		rec := ls.do(r.method, r.path, r.body, a)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
			t.Errorf("%s %s over the limit: %d, Retry-After %q: %s", r.method, r.path, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
			continue
		}
		if !strings.Contains(rec.Body.String(), `"code":"rate_limited"`) {
			t.Errorf("%s %s over the limit: %s", r.method, r.path, rec.Body)
		}
	}
	if got := ls.engine.Snapshot().State.Seq; got != seq {
		t.Errorf("the state moved from %d to %d under the limit", seq, got)
	}
	if got := storeStats(t, ls.store).JournalEntries; got != journal {
		t.Errorf("the journal grew from %d to %d under the limit", journal, got)
	}

	// Routes without a credential are not limited; another address is not.
	if rec := ls.do("GET", "/api/v1/state", "", a); rec.Code != http.StatusOK {
		t.Errorf("state over the limit: %d", rec.Code)
	}
	if rec := ls.do("POST", "/api/v1/commands", message(100), b); rec.Code != http.StatusOK {
		t.Errorf("another address: %d %s", rec.Code, rec.Body)
	}

	// After the refill (a token per 50 ms) one more passes, then no more.
	ls.clock.Advance(50 * time.Millisecond)
	if rec := ls.do("POST", "/api/v1/commands", message(101), a); rec.Code != http.StatusOK {
		t.Errorf("after the refill: %d %s", rec.Code, rec.Body)
	}
	if rec := ls.do("POST", "/api/v1/commands", message(102), a); rec.Code != http.StatusTooManyRequests {
		t.Errorf("one token, two requests: %d", rec.Code)
	}
}

func storeStats(t *testing.T, s *bolt.Store) bolt.Stats {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Refused commands over the websocket take the socket's own tokens: with
// a burst of 5 and no refill, 5 reach the engine (and the journal); the
// rest are dropped, told once, and cut the socket (1008) at the tenth.
func TestSocketRefusalsAreBoundedByItsGuard(t *testing.T) {
	const burst = 5
	env := newHubEnv(t, func(tu *tuning) { tu.rateBurst, tu.ratePerSec = burst, 0 })
	op := env.operator()
	for i := range 30 {
		// A backup fire while nothing is armed is refused (not_armed).
		if op.conn.WriteJSON(map[string]any{"type": "command", "ref": fmt.Sprint(i), "command": map[string]any{"type": "fire", "id": fmt.Sprintf("f%d", i)}}) != nil {
			break // the socket was cut
		}
	}
	limited := 0
	for {
		m, err := op.tryRead(5 * time.Second)
		if err != nil {
			if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
				t.Fatalf("ended with %v, want a policy-violation close", err)
			}
			break
		}
		if m.Type == "error" && m.Error.Code == ERATELIMITED {
			limited++
		}
	}
	r, err := env.engine.Report()
	if err != nil {
		t.Fatal(err)
	}
	if limited != 1 || r.Launch.Refused != burst || len(r.Launch.Triggers) != burst {
		t.Errorf("%d rate-limit errors, %d refusals journalled (%d triggers); want 1, %d",
			limited, r.Launch.Refused, len(r.Launch.Triggers), burst)
	}
}
