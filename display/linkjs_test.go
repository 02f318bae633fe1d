package display

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// linkFake is a scripted server for static/js/link.js: it serves
// testdata/link.html and the scripts, answers time requests with its clock
// set offset ms ahead, and hands every other message to the test.
type linkFake struct {
	srv    *httptest.Server
	offset float64
	conns  chan *linkConn
	// refuse, while positive, answers that many handshakes with 503.
	mu      sync.Mutex
	refuse  int
	dialsAt []time.Time
}

// linkConn is one websocket connection to a linkFake.
type linkConn struct {
	ws *websocket.Conn
	in chan map[string]any
	mu sync.Mutex
}

func newLinkFake(t *testing.T, offset float64) *linkFake {
	f := &linkFake{offset: offset, conns: make(chan *linkConn, 8)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/link.html") })
	mux.Handle("/js/", http.FileServerFS(static.FS))
	mux.HandleFunc("/ws", f.serveWS)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// now is the fake server's clock in Unix ms.
func (f *linkFake) now() float64 { return float64(time.Now().UnixNano())/1e6 + f.offset }

// wsURL is the address of the fake's websocket.
func (f *linkFake) wsURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

func (f *linkFake) serveWS(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.dialsAt = append(f.dialsAt, time.Now())
	refuse := f.refuse > 0
	f.refuse--
	f.mu.Unlock()
	if refuse {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &linkConn{ws: ws, in: make(chan map[string]any, 64)}
	go c.read(f)
	f.conns <- c
}

// read answers time requests and queues every other message.
func (c *linkConn) read(f *linkFake) {
	defer close(c.in)
	for {
		var msg map[string]any
		if err := c.ws.ReadJSON(&msg); err != nil {
			return
		}
		if msg["type"] == "time" {
			now := f.now()
			c.send(map[string]any{"type": "time", "t0": msg["t0"], "t1": now, "t2": now})
			continue
		}
		c.in <- msg
	}
}

func (c *linkConn) send(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ws.WriteJSON(v)
}

// next is the next message that is not a time request.
func (c *linkConn) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case msg, ok := <-c.in:
		if !ok {
			t.Fatal("the link closed the connection")
		}
		return msg
	case <-time.After(8 * time.Second):
		t.Fatal("no message from the link within 8 s")
	}
	return nil
}

// accept waits for the link to connect, and checks its hello.
func (f *linkFake) accept(t *testing.T, role string) *linkConn {
	t.Helper()
	select {
	case c := <-f.conns:
		if hello := c.next(t); hello["type"] != "hello" || hello["role"] != role {
			t.Fatalf("first message is %v, want a hello as %s", hello, role)
		}
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("the link did not connect within 5 s")
	}
	return nil
}

// welcome greets the link and sends it a state with sequence seq.
func (f *linkFake) welcome(c *linkConn, seq int) {
	c.send(map[string]any{"type": "welcome", "clientId": "c1", "role": "operator", "serverTime": f.now()})
	c.send(linkState(seq, f.now(), controller.Launch{Phase: controller.LaunchIdle}))
}

func linkState(seq int, now float64, l controller.Launch) map[string]any {
	v := controller.View{Seq: uint64(seq), Show: controller.ShowInfo{Caption: "PHÁT ĐỘNG"}, Launch: l}
	return map[string]any{"type": "state", "serverTime": now, "state": v}
}

// linkTab is a tab showing testdata/link.html.
type linkTab struct{ ctx context.Context }

// linkPage opens testdata/link.html of f in a new tab.
func linkPage(t *testing.T, browser context.Context, f *linkFake) linkTab {
	t.Helper()
	tab := linkTab{browsertest.NewTab(t, browser)}
	if err := chromedp.Do(tab.ctx, chromedp.Navigate(f.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	tab.wait(t, "window.__ready === true", 5*time.Second)
	return tab
}

// run runs a script in the page.
func (tab linkTab) run(t *testing.T, js string) {
	t.Helper()
	if err := chromedp.Do(tab.ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

// events is what the page recorded so far.
func (tab linkTab) events(t *testing.T) [][]any {
	t.Helper()
	ev, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[][]any]("window.__events"))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// wait polls a JavaScript condition until it holds.
func (tab linkTab) wait(t *testing.T, cond string, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		ok, err := chromedp.Run(tab.ctx, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is still false after %v; events: %v", cond, timeout, tab.events(t))
		}
	}
}

// waitEvent waits for an event whose first fields are want, and returns it.
func (tab linkTab) waitEvent(t *testing.T, timeout time.Duration, want ...any) []any {
	t.Helper()
	js, _ := json.Marshal(want)
	tab.wait(t, fmt.Sprintf("window.__events.some((e) => %s.every((w, i) => JSON.stringify(w) === JSON.stringify(e[i])))", js), timeout)
	for _, e := range tab.events(t) {
		if len(e) >= len(want) {
			if head, _ := json.Marshal(e[:len(want)]); string(head) == string(js) {
				return e
			}
		}
	}
	t.Fatalf("event %v vanished", want)
	return nil
}

// linkKind returns the events whose first field is kind.
func linkKind(events [][]any, kind string) [][]any {
	var out [][]any
	for _, e := range events {
		if e[0] == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestLinkJS(t *testing.T) {
	browser := browsertest.NewBrowser(t)

	// Alone, before the parallel subtests: it measures timer precision.
	t.Run("at", func(t *testing.T) {
		f := newLinkFake(t, 0)
		tab := linkPage(t, browser, f)
		tab.run(t, `window.L = newLink({role: 'stage', name: 'Màn', url: 'ws://127.0.0.1:9/ws'});
			{
				const now = L.serverNow();
				L.at(now - 50, (late) => __events.push(['past', late]));
				const cancel = L.at(now + 60, () => __events.push(['cancelled']));
				cancel();
				// Seven targets 70 ms apart: one stall of a loaded machine
				// must not decide.
				for (let i = 1; i <= 7; i++) {
					const target = now + 70 * i;
					L.at(target, (late) => __events.push(['at', late, L.serverNow() - target]));
				}
			}`)
		ev := tab.events(t)
		if len(ev) != 1 || ev[0][0] != "past" || ev[0][1].(float64) < 49.9 || ev[0][1].(float64) > 150 {
			t.Errorf("a time already past: %v, want one call at once, 50 ms late or a little more", ev)
		}
		tab.wait(t, "__events.filter((e) => e[0] === 'at').length === 7", 3*time.Second)
		var lates []float64
		for _, e := range linkKind(tab.events(t), "at") {
			late, after := e[1].(float64), e[2].(float64)
			if late < 0 || after < 0 {
				t.Errorf("at() ran %.3f ms before its time", min(late, after))
			}
			lates = append(lates, late)
		}
		if n := len(linkKind(tab.events(t), "cancelled")); n > 0 {
			t.Error("a cancelled at() ran")
		}
		sorted := slices.Sorted(slices.Values(lates))
		t.Logf("at() ran late by (ms): %.2f", lates)
		if median := sorted[len(sorted)/2]; median > 4 {
			t.Errorf("at() ran a median %.2f ms late, want under 4 ms", median)
		}
	})

	t.Run("hello, state and one fire per fireId", func(t *testing.T) {
		t.Parallel()
		f := newLinkFake(t, 0)
		tab := linkPage(t, browser, f)
		console := browsertest.WatchConsole(t, tab.ctx)
		tab.run(t, fmt.Sprintf(`window.L = newLink({role: 'operator', name: 'Máy tính bảng MC', token: 'bí-mật', url: %q}); L.start()`, f.wsURL()))
		var hello map[string]any
		select {
		case c := <-f.conns:
			hello = c.next(t)
			f.welcome(c, 1)
			at := f.now() + 250
			c.send(map[string]any{"type": "fire", "fireId": "f7", "fireAt": at, "caption": "PHÁT ĐỘNG"})
			fired := controller.Launch{Phase: controller.LaunchFired, FireID: "f7", FireAt: int64(at)}
			c.send(linkState(2, f.now(), fired))
			c.send(linkState(3, f.now(), fired))
			fired.FireID, fired.FireAt = "f9", int64(at)+1000
			c.send(linkState(4, f.now(), fired))
		case <-time.After(5 * time.Second):
			t.Fatal("the link did not connect")
		}
		want := map[string]any{"type": "hello", "role": "operator", "name": "Máy tính bảng MC", "token": "bí-mật"}
		if fmt.Sprint(hello) != fmt.Sprint(want) {
			t.Errorf("hello = %v, want %v", hello, want)
		}
		tab.waitEvent(t, 5*time.Second, "state", 4)
		var fires []string
		for _, e := range linkKind(tab.events(t), "fire") {
			fires = append(fires, fmt.Sprint(e[1], " ", e[3]))
		}
		if got := strings.Join(fires, ", "); got != "f7 PHÁT ĐỘNG, f9 PHÁT ĐỘNG" {
			t.Errorf("fires: %s, want f7 then f9, once each, with the caption", got)
		}
		console.Check(t)
	})

	t.Run("reconnect resends a command with the same ref and id", func(t *testing.T) {
		t.Parallel()
		f := newLinkFake(t, 0)
		tab := linkPage(t, browser, f)
		tab.run(t, fmt.Sprintf(`window.L = newLink({role: 'operator', name: 'MC', token: 't', url: %q}); L.start()`, f.wsURL()))
		c := f.accept(t, "operator")
		f.welcome(c, 1)
		tab.waitEvent(t, 5*time.Second, "state", 1)
		tab.run(t, `settle('a', L.command({type: 'next'}))`)
		first := c.next(t)
		cmd, _ := first["command"].(map[string]any)
		if first["type"] != "command" || first["ref"] == "" || cmd["type"] != "next" || cmd["id"] == "" || cmd["id"] == nil {
			t.Fatalf("command message = %v, want a ref and a command with an id", first)
		}
		cut := time.Now()
		c.ws.Close() // the network fails before the answer
		tab.waitEvent(t, 5*time.Second, "status", false, false)

		c = f.accept(t, "operator")
		reconnect := time.Since(cut)
		f.welcome(c, 1)
		again := c.next(t)
		if again["ref"] != first["ref"] || fmt.Sprint(again["command"]) != fmt.Sprint(first["command"]) {
			t.Errorf("resent %v, want the same ref and command as %v", again, first)
		}
		c.send(map[string]any{"type": "answer", "ref": again["ref"], "answer": map[string]any{"seq": 2}})
		got := tab.waitEvent(t, 5*time.Second, "resolved", "a")
		t.Logf("reconnected in %v; answer %v", reconnect, got[2])
		if reconnect > 2*time.Second {
			t.Errorf("reconnecting took %v, want well under the 2 s cap", reconnect)
		}

		tab.run(t, `settle('b', L.command({type: 'fire'}))`)
		b := c.next(t)
		e := map[string]any{"code": "not_armed", "message": "Chưa kích hoạt nút phát động."}
		c.send(map[string]any{"type": "answer", "ref": b["ref"], "answer": map[string]any{"seq": 2, "error": e}, "error": e})
		got = tab.waitEvent(t, 5*time.Second, "rejected", "b")
		if fmt.Sprint(got[2:]) != "[true not_armed Chưa kích hoạt nút phát động.]" {
			t.Errorf("refused command: %v, want a LinkError not_armed with the server's message", got)
		}

		tab.run(t, `L.stop(); settle('c', L.command({type: 'next'}))`)
		got = tab.waitEvent(t, 5*time.Second, "rejected", "c")
		if got[3] != "offline" {
			t.Errorf("command while stopped: %v, want code offline", got)
		}
	})

	t.Run("command times out", func(t *testing.T) {
		t.Parallel()
		f := newLinkFake(t, 0)
		tab := linkPage(t, browser, f)
		tab.run(t, fmt.Sprintf(`window.L = newLink({role: 'operator', name: 'MC', token: 't', url: %q, commandTimeoutMs: 300}); L.start()`, f.wsURL()))
		c := f.accept(t, "operator")
		f.welcome(c, 1)
		tab.waitEvent(t, 5*time.Second, "state", 1)
		start := time.Now()
		tab.run(t, `settle('t', L.command({type: 'next'}))`)
		c.next(t) // never answered
		got := tab.waitEvent(t, 5*time.Second, "rejected", "t")
		if got[3] != "timeout" || time.Since(start) < 300*time.Millisecond {
			t.Errorf("unanswered command: %v after %v, want code timeout after 300 ms", got, time.Since(start))
		}
	})

	t.Run("backoff is capped", func(t *testing.T) {
		t.Parallel()
		f := newLinkFake(t, 0)
		f.refuse = 1000
		tab := linkPage(t, browser, f)
		tab.run(t, fmt.Sprintf(`window.L = newLink({role: 'stage', name: 'Màn', url: %q}); L.start()`, f.wsURL()))
		time.Sleep(6 * time.Second)
		tab.run(t, `L.stop()`)
		f.mu.Lock()
		dials := f.dialsAt
		f.mu.Unlock()
		var gaps []time.Duration
		for i := 1; i < len(dials); i++ {
			gaps = append(gaps, dials[i].Sub(dials[i-1]).Round(time.Millisecond))
		}
		t.Logf("pauses between tries: %v", gaps)
		if len(gaps) < 4 {
			t.Fatalf("%d tries in 6 s, want the link to keep trying", len(dials))
		}
		if gaps[0] > 600*time.Millisecond {
			t.Errorf("first retry after %v, want a quick one", gaps[0])
		}
		// The cap is 2 s; a refused handshake and a loaded machine add a
		// little to each pause. Without the cap the sixth pause would be
		// 1.6–3.2 s and the seventh 3.2–6.4 s.
		for _, g := range gaps {
			if g > 3*time.Second {
				t.Errorf("a pause of %v, want at most about 2 s", g)
			}
		}
	})

	t.Run("clock sync, reports and the moment", func(t *testing.T) {
		t.Parallel()
		const ahead = 7300.5
		f := newLinkFake(t, ahead)
		tab := linkPage(t, browser, f)
		console := browsertest.WatchConsole(t, tab.ctx)
		tab.run(t, fmt.Sprintf(`window.L = newLink({role: 'stage', name: 'Màn LED', url: %q}); watchMoment(L); L.start()`, f.wsURL()))
		c := f.accept(t, "stage")
		f.welcome(c, 1)
		tab.waitEvent(t, 5*time.Second, "status", true, true)
		est, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[]float64]("[L.offset, L.uncertainty]"))
		if err != nil {
			t.Fatal(err)
		}
		// The estimator's uncertainty is an honest bound on its error.
		offset, bound := est[0], max(est[1], 2)
		if math.Abs(offset-ahead) > bound {
			t.Errorf("offset %.2f ms, want %.1f ± %.2f", offset, ahead, bound)
		}

		fireAt := math.Round(f.now() + 200)
		c.send(map[string]any{"type": "fire", "fireId": "f3", "fireAt": fireAt, "caption": "PHÁT ĐỘNG"})
		old := controller.Launch{Phase: controller.LaunchFired, FireID: "f2", FireAt: int64(f.now()) - 60_000}
		var report map[string]any
		for report == nil {
			msg := c.next(t)
			if msg["fireId"] != nil {
				report = msg
			}
		}
		started, _ := report["startedAt"].(float64)
		if report["type"] != "report" || report["fireId"] != "f3" || math.Abs(started-fireAt) > oneFrame {
			t.Errorf("fire report %v, want f3 started within a frame of %.0f", report, fireAt)
		}
		start := tab.waitEvent(t, time.Second, "start", "f3")
		if late := start[2].(float64); late > oneFrame {
			t.Errorf("the moment started %.2f ms late", late)
		}
		c.send(linkState(2, f.now(), old)) // a fire from long ago: join late, report nothing
		start = tab.waitEvent(t, time.Second, "start", "f2")
		if late := start[2].(float64); late < 59_000 {
			t.Errorf("a fire a minute old started %.0f ms late, want about 60000", late)
		}
		t.Logf("offset %.2f ms (true %.1f); start of f3 %.2f ms after fireAt", offset, ahead, started-fireAt)

		msg := c.next(t) // the periodic report, within REPORT_INTERVAL_MS
		if msg["type"] != "report" || msg["fireId"] != nil || math.Abs(msg["offset"].(float64)-ahead) > bound || msg["rtt"] == nil || msg["uncertainty"] == nil {
			t.Errorf("periodic report %v, want offset, rtt and uncertainty only", msg)
		}
		console.Check(t)
	})

	t.Run("remaining matches controller.Timer", func(t *testing.T) {
		t.Parallel()
		f := newLinkFake(t, 0)
		tab := linkPage(t, browser, f)
		testRemaining(t, tab)
	})
}

// testRemaining runs link.remaining() on a table of timers and compares
// it with controller.Timer.Remaining at the same instant. A segment that
// holds at zero never reads below 0 on a screen, even in the moment before
// the server marks it done.
func testRemaining(t *testing.T, tab linkTab) {
	const base = int64(1_744_600_000_000)
	const minute = int64(60_000)
	type tc struct {
		name   string
		timer  controller.Timer
		onZero controller.OnZero
		now    int64
	}
	running := controller.Timer{Phase: controller.TimerRunning, StartedAt: base, DurationMs: 10 * minute}
	cases := []tc{
		{"ready", controller.Timer{Phase: controller.TimerReady, DurationMs: 15 * minute, AddedMs: minute}, controller.OnZeroOvertime, base},
		{"running", running, controller.OnZeroOvertime, base + 3*minute + 250},
		{"running, just started", running, controller.OnZeroOvertime, base},
		{"running, clock behind the start", running, controller.OnZeroOvertime, base - 5000},
		{"running, paused before and time added", controller.Timer{Phase: controller.TimerRunning, StartedAt: base, PausedMs: 90_000, AddedMs: 2 * minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 11*minute},
		{"running, time removed", controller.Timer{Phase: controller.TimerRunning, StartedAt: base, AddedMs: -3 * minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 4*minute},
		{"overtime", running, controller.OnZeroOvertime, base + 12*minute + 1},
		{"at zero", running, controller.OnZeroOvertime, base + 10*minute},
		{"paused", controller.Timer{Phase: controller.TimerPaused, StartedAt: base, PausedAt: base + 4*minute, PausedMs: 1000, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 9*minute},
		{"paused in overtime", controller.Timer{Phase: controller.TimerPaused, StartedAt: base, PausedAt: base + 12*minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 20*minute},
		{"hold, running", running, controller.OnZeroHold, base + 9*minute},
		{"hold, past zero before the server says done", running, controller.OnZeroHold, base + 10*minute + 700},
		{"hold, done", controller.Timer{Phase: controller.TimerDone, StartedAt: base, PausedAt: base + 10*minute, DurationMs: 10 * minute}, controller.OnZeroHold, base + 30*minute},
		{"advance, past zero", running, controller.OnZeroAdvance, base + 10*minute + 40},
		{"zero duration", controller.Timer{Phase: controller.TimerRunning, StartedAt: base}, controller.OnZeroOvertime, base + 1500},
	}
	type jsCase struct {
		View controller.View `json:"view"`
		Now  int64           `json:"now"`
	}
	in := make([]jsCase, len(cases))
	for i, c := range cases {
		in[i] = jsCase{controller.View{Timer: c.timer, Current: controller.SegmentView{OnZero: c.onZero}, Launch: controller.Launch{Phase: controller.LaunchIdle}}, c.now}
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(
		`((cases) => { const l = newLink({role: 'stage', name: 'x'}); return cases.map((c) => l.remaining(c.view, c.now)); })(%s)`, data)))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		want := c.timer.Remaining(time.UnixMilli(c.now)).Milliseconds()
		if c.onZero == controller.OnZeroHold || c.timer.Phase == controller.TimerDone {
			want = max(want, 0)
		}
		if got[i] != float64(want) {
			t.Errorf("%s: link.remaining = %v ms, controller.Timer.Remaining = %d ms", c.name, got[i], want)
		}
	}
}

// TestLinkJSReconnectsToHub cuts a screen's connection to the real server
// and fires the launch while it is away: the screen reconnects, learns of
// the fire from the full state it gets at once, starts the moment once and
// reports it.
func TestLinkJSReconnectsToHub(t *testing.T) {
	pages := httptest.NewServer(spreadPages())
	t.Cleanup(pages.Close)
	engine, hub, server := spreadServer(t, pages.URL)
	proxy := newDelayProxy(t, strings.TrimPrefix(server.URL, "http://"), 20*time.Millisecond, time.Millisecond)
	tab := browsertest.NewTab(t, browsertest.NewBrowser(t))
	console := browsertest.WatchConsole(t, tab)
	if err := chromedp.Do(tab, chromedp.Navigate(pages.URL+"/spread.html?ws=ws://"+proxy.Addr()+"/ws")); err != nil {
		t.Fatal(err)
	}
	spreadWait(t, tab, "window.__status && window.__status.synced", 10*time.Second, "the screen to sync")

	cut := time.Now()
	proxy.Cut()
	spreadExecute(t, engine, controller.Command{Type: controller.CmdArm})
	spreadExecute(t, engine, controller.Command{Type: controller.CmdFire})
	l := engine.Snapshot().State.Launch
	spreadWait(t, tab, "window.__drops === 1 && window.__status.connected", 5*time.Second, "the screen to reconnect")
	back := time.Since(cut)
	js := fmt.Sprintf("window.__starts[%q]", l.FireID)
	spreadWait(t, tab, js, 5*time.Second, "the screen to start the moment")
	st, err := chromedp.Run(tab, chromedp.Evaluate[spreadStart](js))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reconnected %v after the cut; started %s %.2f ms after fireAt (late %.2f ms), lead %d ms",
		back.Round(time.Millisecond), l.FireID, st.TrueMs-st.FireAt, st.Late, l.FireAt-l.FiredAt)
	if back > 2500*time.Millisecond {
		t.Errorf("the screen took %v to reconnect, want under the 2 s backoff cap", back)
	}
	f := spreadHubReports(t, hub, l.FireID, 1)
	if len(f.Devices) == 1 {
		t.Logf("the server got the report: started %.2f ms after fireAt, joined late: %v", f.Devices[0].LateMs, f.Devices[0].JoinedLate)
	}
	spreadWait(t, tab, "window.__status.synced", 5*time.Second, "the screen to sync again")
	console.Check(t)
}
