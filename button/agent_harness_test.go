package button

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// has reports whether a logged line contains every part.
func (b *logBuffer) has(parts ...string) bool {
	for _, line := range strings.Split(b.String(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// testAgent is an agent under test with what it reported.
type testAgent struct {
	*Agent
	events  chan Event
	logs    *logBuffer
	clock   *fakeClock
	mu      sync.Mutex
	results []PressResult
	done    chan error
}

// startAgent runs an agent for button id against url, with a frozen fake
// clock (which the test moves), until the test ends.
func startAgent(tb testing.TB, url, id string, edit func(*AgentConfig)) *testAgent {
	tb.Helper()
	return startAgentDialer(tb, url, id, edit, nil)
}

func startAgentDialer(tb testing.TB, url, id string, edit func(*AgentConfig), d Dialer) *testAgent {
	tb.Helper()
	return startAgentWith(tb, url, id, edit, func(o *AgentOptions) { o.Dialer = d })
}

// startAgentWith is startAgent with its options edited by opts.
func startAgentWith(tb testing.TB, url, id string, edit func(*AgentConfig), opts func(*AgentOptions)) *testAgent {
	tb.Helper()
	ta := &testAgent{events: make(chan Event, 16), logs: &logBuffer{}, clock: newFakeClock(), done: make(chan error, 1)}
	cfg := AgentConfig{Server: url, Key: testKey, ButtonID: id, Name: "Nút " + id}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(ta.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	led := NewLED(nil, LEDConfig{Clock: ta.clock, Logger: log})
	o := AgentOptions{LED: led, Clock: ta.clock, Log: log, OnResult: func(r PressResult) {
		ta.mu.Lock()
		ta.results = append(ta.results, r)
		ta.mu.Unlock()
	}}
	if opts != nil {
		opts(&o)
	}
	a, err := NewAgent(cfg, o)
	if err != nil {
		tb.Fatal(err)
	}
	ta.Agent = a
	ctx, cancel := context.WithCancel(context.Background())
	go func() { ta.done <- a.Run(ctx, ta.events) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-ta.done; err != context.Canceled {
			tb.Errorf("Run = %v, want context.Canceled", err)
		}
		if tb.Failed() {
			tb.Logf("agent %s log:\n%s", id, ta.logs)
		}
	})
	return ta
}

// press sends a press that began at the fake clock's now plus d.
func (ta *testAgent) press(d time.Duration) {
	at := ta.clock.Now().Add(d)
	ta.events <- Event{Kind: Press, At: at, Seen: at.Add(DefaultFilter)}
}

func (ta *testAgent) resultList() []PressResult {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	return append([]PressResult(nil), ta.results...)
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// cutDialer makes real websocket links that the test can cut: at once,
// or right after the next write that contains a marker.
type cutDialer struct {
	mu     sync.Mutex
	cur    Link
	marker string
	cuts   int
}

func (d *cutDialer) Dial(ctx context.Context, url string) (Link, error) {
	l, err := WebsocketDialer{}.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	cl := &cutLink{Link: l, d: d}
	d.mu.Lock()
	d.cur = cl
	d.mu.Unlock()
	return cl, nil
}

// cut closes the current link, as a broken network would, and reports
// whether there was one.
func (d *cutDialer) cut() bool {
	d.mu.Lock()
	l := d.cur
	d.cur = nil
	if l != nil {
		d.cuts++
	}
	d.mu.Unlock()
	if l != nil {
		_ = l.Close()
	}
	return l != nil
}

// linked reports whether there is a link to cut.
func (d *cutDialer) linked() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cur != nil
}

// cutAfterWrite cuts the link right after the next write containing marker.
func (d *cutDialer) cutAfterWrite(marker string) {
	d.mu.Lock()
	d.marker = marker
	d.mu.Unlock()
}

func (d *cutDialer) cutCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cuts
}

type cutLink struct {
	Link
	d *cutDialer
}

func (l *cutLink) Write(msg []byte) error {
	err := l.Link.Write(msg)
	l.d.mu.Lock()
	m := l.d.marker
	hit := m != "" && strings.Contains(string(msg), m)
	if hit {
		l.d.marker = ""
	}
	l.d.mu.Unlock()
	if hit {
		l.d.cut()
	}
	return err
}
