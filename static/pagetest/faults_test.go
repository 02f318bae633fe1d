package pagetest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/button"
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/faultproxy"
)

// faultRecorder notes, in each stage page, when its link's status changed
// (window.__net: [Date.now(), connected]), when each segment title first
// showed (window.__seen: title → Date.now()) and each moment it started
// (window.__fires: fire ids), so that delays are measured in the page,
// not by the test's polling.
const faultRecorder = `(() => {
  window.__net = [];
  window.__seen = {};
  window.__fires = [];
  window.phatdongLink.on('status', (s) => window.__net.push([Date.now(), s.connected]));
  addEventListener('phatdong:moment', (e) => window.__fires.push(e.detail.fireId));
  setInterval(() => {
    const k = document.getElementById('s-title').textContent;
    if (!(k in window.__seen)) window.__seen[k] = Date.now();
  }, 5);
})()`

// netAt is when the page's link first said connected == up at or after
// since (Unix ms), or 0.
func netAt(p *page, since int64, up bool) int64 {
	p.t.Helper()
	return eval[int64](p, fmt.Sprintf(`(window.__net.find(([t, c]) => t >= %d && c === %t) || [0])[0]`, since, up))
}

// seenAt is when the page first showed title, or 0.
func seenAt(p *page, title string) int64 {
	p.t.Helper()
	return eval[int64](p, `window.__seen[`+quote(title)+`] || 0`)
}

// waitMs polls get until it returns an instant (Unix ms), failing the test
// after timeout.
func waitMs(p *page, what string, timeout time.Duration, get func() int64) int64 {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if at := get(); at != 0 {
			return at
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %s: not within %v", p.name, what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ms(d int64) time.Duration { return time.Duration(d) * time.Millisecond }

// lockedBuffer is a log the agent writes and the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// agent is the real button agent (cmd/phatdong-button's, on a simulated
// pin, with its defaults: MaxAge 3 s, a ping every second, a link given up
// after 2.5 s of silence).
type agent struct {
	pin     *button.SimPin
	agent   *button.Agent
	logs    *lockedBuffer
	mu      sync.Mutex
	results []button.PressResult
}

// startAgent runs an agent for button id against the websocket URL until
// the test ends.
func startAgent(t *testing.T, s *server, url, id string) *agent {
	t.Helper()
	a := &agent{pin: button.NewSimPin("GPIO17"), logs: &lockedBuffer{}}
	in, err := button.NewInput(a.pin, button.Config{Lockout: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cfg := button.AgentConfig{Server: url, Key: s.test.ButtonKey(t, id), ButtonID: id, Name: "Nút " + id}
	a.agent, err = button.NewAgent(cfg, button.AgentOptions{Log: slog.New(slog.NewTextHandler(a.logs, nil)), OnResult: func(r button.PressResult) {
		a.mu.Lock()
		a.results = append(a.results, r)
		a.mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.agent.Serve(ctx, in) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("agent %s log:\n%s", id, a.logs)
		}
	})
	return a
}

// light waits up to timeout for the agent's LED to show want and returns
// when it did.
func (a *agent) light(t *testing.T, want button.LEDState, timeout time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for a.agent.LED().State() != want {
		if time.Now().After(deadline) {
			t.Fatalf("the agent's LED shows %s, want %s within %v", a.agent.LED().State(), want, timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

// result waits for the agent's n-th press result (1-based).
func (a *agent) result(t *testing.T, n int) button.PressResult {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		a.mu.Lock()
		if len(a.results) >= n {
			r := a.results[n-1]
			a.mu.Unlock()
			return r
		}
		a.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no end for press %d of the agent", n)
		}
	}
}

// presses counts the press entries of the server's journal.
func (s *server) presses(t *testing.T) int {
	t.Helper()
	n := 0
	err := s.test.Store.Entries(func(e controller.Entry) error {
		if e.Command.Type == controller.CmdPress {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Stage pages (link.js in Chromium) and the real button agent, through a
// network that drops, resets, stalls for 10 s and goes half-open while the
// show moves on: each page notices a half-open link within 5 s by its own
// watchdog; once a drop, a reset or a stall ends, each page shows the
// segment chosen during the fault within 3 s, and the agent's LED the
// armed launch. A press during the 10 s stall is dropped by the agent
// (older than its MaxAge of 3 s) and never reaches the server; one during
// a 1 s stall is delivered once, and every page starts the moment once.
func TestFaultsPagesRecover(t *testing.T) {
	s := startServer(t)
	px := faultproxy.New(t, strings.TrimPrefix(s.URL, "http://"))
	browser := browsertest.NewBrowser(t)
	var stages []*page
	for i := range 3 {
		stages = append(stages, open(t, browser, fmt.Sprintf("http://%s/stage?name=man-%d", px.Addr(), i+1), 640, 360))
	}
	leader := startAgent(t, s, "ws://"+px.Addr()+"/ws", "nut-1")
	for _, p := range stages {
		p.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)
		p.js(faultRecorder)
	}
	s.command(t, `{"type":"arm"}`)
	leader.light(t, button.SlowBlink, 10*time.Second)
	title := map[string]string{}
	for _, g := range s.engine.Snapshot().Show.Segments {
		title[g.ID] = g.Title
	}

	tests := []struct {
		name    string
		fault   func()
		hold    time.Duration // how long the fault lasts (half-open: until every page noticed)
		segment string        // where the show goes during the fault
		back    time.Duration // the bound on showing it once the fault ends
		press   bool          // the leader presses 200 ms into the fault
	}{
		{"drop", px.Drop, time.Second, "van-nghe", 3 * time.Second, false},
		{"reset", px.Reset, time.Second, "tuyen-bo-ly-do", 3 * time.Second, false},
		{"stall 10 s", func() { px.Stall(time.Minute) }, 10 * time.Second, "phat-bieu-chi-dao", 3 * time.Second, true},
		// A link broken half-open stays broken: the page's own watchdog
		// gives up the try in flight, then the next one goes through.
		{"half-open", px.HalfOpen, 0, "phat-bieu-huong-ung", 8 * time.Second, false},
		{"stall 1 s", func() { px.Stall(time.Minute) }, time.Second, "bam-nut-phat-dong", 3 * time.Second, true},
	}
	for _, tt := range tests {
		want := title[tt.segment]
		start := time.Now()
		f := start.UnixMilli()
		tt.fault()
		s.command(t, `{"type":"goto","segment":"`+tt.segment+`"}`)
		if tt.press {
			time.Sleep(200 * time.Millisecond)
			leader.pin.Press(context.Background(), 50*time.Millisecond)
		}
		if !strings.HasPrefix(tt.name, "stall") {
			for i, p := range stages {
				lost := waitMs(p, tt.name+": the link's status offline", 6*time.Second, func() int64 { return netAt(p, f, false) })
				t.Logf("%s: stage %d noticed after %v", tt.name, i+1, ms(lost-f))
				if ms(lost-f) > 5*time.Second {
					t.Errorf("%s: stage %d noticed after %v, want within 5 s", tt.name, i+1, ms(lost-f))
				}
			}
		}
		time.Sleep(tt.hold - time.Since(start))
		for i, p := range stages {
			if at := seenAt(p, want); at != 0 {
				t.Fatalf("%s: stage %d showed %q %v into the fault, before it ended", tt.name, i+1, want, ms(at-f))
			}
		}
		h := time.Now()
		px.Heal()
		for i, p := range stages {
			at := waitMs(p, tt.name+": "+want, tt.back+2*time.Second, func() int64 { return seenAt(p, want) })
			t.Logf("%s: stage %d showed the new segment %v after the fault ended", tt.name, i+1, ms(at-h.UnixMilli()))
			if ms(at-h.UnixMilli()) > tt.back {
				t.Errorf("%s: stage %d showed %q %v after the fault ended, want within %v", tt.name, i+1, want, ms(at-h.UnixMilli()), tt.back)
			}
		}
		if tt.name != "stall 1 s" {
			lit := leader.light(t, button.SlowBlink, tt.back+2*time.Second).Sub(h)
			t.Logf("%s: the agent's LED showed the armed launch %v after the fault ended", tt.name, lit.Round(time.Millisecond))
			if lit > tt.back {
				t.Errorf("%s: the agent's LED showed the armed launch %v after the fault ended, want within %v", tt.name, lit, tt.back)
			}
		}
	}

	// The press during the 10 s stall: dropped and logged by the agent,
	// never delivered. The one during the 1 s stall: delivered once, fired
	// once, and every page started that moment once.
	if r := leader.result(t, 1); !r.Dropped || r.Outcome != "" {
		t.Errorf("the press during the 10 s stall: %+v, want dropped", r)
	}
	if !strings.Contains(leader.logs.String(), "button: press dropped") {
		t.Error("the agent did not log the dropped press")
	}
	r := leader.result(t, 2)
	if r.Outcome != controller.OutcomeFired || r.Sends != 1 {
		t.Errorf("the press during the 1 s stall: %+v, want fired, sent once", r)
	}
	leader.light(t, button.Celebrate, 3*time.Second)
	l := s.engine.Snapshot().State.Launch
	for i, p := range stages {
		p.wait(`window.__fires.length > 0`, 3*time.Second, `window.__fires`)
		time.Sleep(time.Second / time.Duration(len(stages))) // a second moment would come by now
		if got := eval[[]string](p, `window.__fires`); len(got) != 1 || got[0] != l.FireID {
			t.Errorf("stage %d started the moments %v, want %s once", i+1, got, l.FireID)
		}
	}
	if n := s.presses(t); n != 1 || len(l.Presses) != 1 || l.Presses[0].PressID != r.PressID {
		t.Errorf("the journal holds %d presses, the launch %+v: want the press %s once", n, l, r.PressID)
	}
	for _, p := range stages {
		p.checkConsole("WebSocket connection to 'ws://" + px.Addr() + "/ws' failed")
	}
}
