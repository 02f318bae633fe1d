package button

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/clocksync"
)

const testKey = "k-test"

// fakeServer speaks the server's side of docs/protocol.md to buttons, with
// hooks to script its answers and to cut links, over a real websocket.
type fakeServer struct {
	tb  testing.TB
	srv *httptest.Server
	up  websocket.Upgrader

	// now is the server's clock in Unix ms; nil means the real clock.
	now func() float64
	// decide answers a press: an outcome, or an error code. Returning
	// cut closes the link instead, before answering; silent answers
	// nothing. nil counts every press.
	decide func(p pressMsg, n int) (outcome, code string, cut, silent bool)

	mu      sync.Mutex
	down    bool
	hellos  []helloMsg
	presses []pressMsg
	ids     map[string]int // press id → times received
	times   int
	conns   map[*fakeConn]bool
	launch  controller.Launch
}

// fakeConn is one button socket of the fake server.
type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex // one writer at a time
}

func (c *fakeConn) write(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(time.Second))
	_ = c.ws.WriteJSON(v)
}

func newFakeServer(tb testing.TB) *fakeServer {
	f := &fakeServer{
		tb: tb, ids: map[string]int{}, conns: map[*fakeConn]bool{},
		launch: controller.Launch{Phase: controller.LaunchIdle, Presses: []controller.Press{}},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(func() {
		f.setDown(true)
		f.srv.Close()
	})
	return f
}

// url is the websocket URL of the fake server.
func (f *fakeServer) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

func (f *fakeServer) stamp() float64 {
	if f.now != nil {
		return f.now()
	}
	return clocksync.Stamp(time.Now())
}

// setDown cuts every link and refuses new ones, or accepts them again.
func (f *fakeServer) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	var cut []*fakeConn
	if down {
		for c := range f.conns {
			cut = append(cut, c)
		}
	}
	f.mu.Unlock()
	for _, c := range cut {
		_ = c.ws.Close()
	}
}

// cutAll closes every link; the agent may reconnect at once.
func (f *fakeServer) cutAll() {
	f.mu.Lock()
	var cut []*fakeConn
	for c := range f.conns {
		cut = append(cut, c)
	}
	f.mu.Unlock()
	for _, c := range cut {
		_ = c.ws.Close()
	}
}

// setLaunch changes the launch and sends the new state to every button.
func (f *fakeServer) setLaunch(l controller.Launch) {
	f.mu.Lock()
	f.launch = l
	f.mu.Unlock()
	f.broadcast(f.stateMsg())
}

// fire sends a fire message to every button.
func (f *fakeServer) fire(id string, fireAt float64) {
	f.broadcast(map[string]any{"type": "fire", "fireId": id, "fireAt": fireAt})
}

func (f *fakeServer) broadcast(v any) {
	f.mu.Lock()
	var cs []*fakeConn
	for c := range f.conns {
		cs = append(cs, c)
	}
	f.mu.Unlock()
	for _, c := range cs {
		c.write(v)
	}
}

func (f *fakeServer) stateMsg() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return map[string]any{"type": "state", "serverTime": f.stamp(), "state": map[string]any{"seq": 1, "launch": f.launch}}
}

// snapshot returns what the server has seen so far.
func (f *fakeServer) snapshot() (hellos []helloMsg, presses []pressMsg, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]helloMsg(nil), f.hellos...), append([]pressMsg(nil), f.presses...), f.times
}

// connected reports how many buttons are connected.
func (f *fakeServer) connected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	ws, err := f.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	defer ws.Close()
	var hello helloMsg
	if err := ws.ReadJSON(&hello); err != nil {
		return
	}
	f.mu.Lock()
	f.hellos = append(f.hellos, hello)
	f.mu.Unlock()
	if hello.Type != "hello" || hello.Role != "button" || hello.Key != testKey || hello.Button == "" {
		c.write(map[string]any{"type": "error", "error": controller.Errorf(controller.EUNAUTHORIZED, "the button key is missing or wrong")})
		return
	}
	c.write(map[string]any{"type": "welcome", "clientId": "c1", "role": "button", "serverTime": f.stamp()})
	c.write(f.stateMsg())
	f.mu.Lock()
	if f.down {
		f.mu.Unlock()
		return
	}
	f.conns[c] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var m struct {
			Type string  `json:"type"`
			T0   float64 `json:"t0"`
			pressMsg
		}
		if err := json.Unmarshal(data, &m); err != nil {
			f.tb.Errorf("fake server: bad message %s: %v", data, err)
			return
		}
		switch m.Type {
		case "time":
			t := f.stamp()
			f.mu.Lock()
			f.times++
			f.mu.Unlock()
			c.write(clocksync.Message{Type: "time", T0: m.T0, T1: t, T2: t})
		case "press":
			p := m.pressMsg
			p.Type = m.Type
			f.mu.Lock()
			f.presses = append(f.presses, p)
			f.ids[p.PressID]++
			n := len(f.presses)
			decide := f.decide
			f.mu.Unlock()
			outcome, code, cut, silent := controller.OutcomeCounted, "", false, false
			if decide != nil {
				outcome, code, cut, silent = decide(p, n)
			}
			switch {
			case cut:
				return
			case silent:
			case code != "":
				e := controller.Errorf(code, "refused: %s", code)
				c.write(map[string]any{"type": "answer", "ref": p.Ref, "answer": controller.Answer{Seq: 1, Error: e}, "error": e})
			default:
				c.write(map[string]any{"type": "answer", "ref": p.Ref, "answer": controller.Answer{Seq: 2, Outcome: outcome}})
			}
		default:
			f.tb.Errorf("fake server: a button sent %q", m.Type)
		}
	}
}

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

// startAgentWith is startAgent with the links made by d.
func startAgentWith(tb testing.TB, url, id string, d Dialer) *testAgent {
	tb.Helper()
	return startAgentDialer(tb, url, id, nil, d)
}

func startAgentDialer(tb testing.TB, url, id string, edit func(*AgentConfig), d Dialer) *testAgent {
	tb.Helper()
	ta := &testAgent{events: make(chan Event, 16), logs: &logBuffer{}, clock: newFakeClock(), done: make(chan error, 1)}
	cfg := AgentConfig{Server: url, Key: testKey, ButtonID: id, Name: "Nút " + id}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(ta.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	led := NewLED(nil, LEDConfig{Clock: ta.clock, Logger: log})
	a, err := NewAgent(cfg, AgentOptions{LED: led, Dialer: d, Clock: ta.clock, Log: log, OnResult: func(r PressResult) {
		ta.mu.Lock()
		ta.results = append(ta.results, r)
		ta.mu.Unlock()
	}})
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
