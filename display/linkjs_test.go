package display

// The tests of static/js/link.js in real headless Chromium, against the
// scripted server of linkjs_harness_test.go.

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

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
		want := map[string]any{"type": "hello", "role": "operator", "name": "Máy tính bảng MC", "token": "bí-mật", "heartbeatMs": float64(5000)}
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
