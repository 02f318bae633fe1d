package button

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest/faultproxy"
)

// stampedLog collects log lines with the instant each was written.
type stampedLog struct {
	mu    sync.Mutex
	lines []stampedLine
}

type stampedLine struct {
	at   time.Time
	text string
}

func (l *stampedLog) Write(p []byte) (int, error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range bytes.Lines(p) {
		l.lines = append(l.lines, stampedLine{now, string(line)})
	}
	return len(p), nil
}

// first is when the first line written at or after since and containing
// part was written; ok is false when there is none.
func (l *stampedLog) first(since time.Time, part string) (at time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if !line.at.Before(since) && strings.Contains(line.text, part) {
			return line.at, true
		}
	}
	return time.Time{}, false
}

func (l *stampedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, line := range l.lines {
		b.WriteString(line.text)
	}
	return b.String()
}

// faultAgent is a whole agent (SimPin → Input → Agent, real clock) whose
// link to the server goes through a fault proxy.
type faultAgent struct {
	pin     *SimPin
	agent   *Agent
	proxy   *faultproxy.Proxy
	logs    *stampedLog
	mu      sync.Mutex
	results []PressResult
}

// startFaultAgent runs an agent for button id, with the default MaxAge
// (3 s) and the default keepalive, through a new fault proxy to srv.
func startFaultAgent(t *testing.T, srv *realServer, id string) *faultAgent {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(srv.url, "ws://"), "/ws")
	fa := &faultAgent{pin: NewSimPin("GPIO17"), proxy: faultproxy.New(t, host), logs: &stampedLog{}}
	log := slog.New(slog.NewTextHandler(fa.logs, nil))
	in, err := NewInput(fa.pin, quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg := AgentConfig{Server: "ws://" + fa.proxy.Addr() + "/ws", Key: srv.key(t, id), ButtonID: id, Name: "Nút " + id}
	fa.agent, err = NewAgent(cfg, AgentOptions{Log: log, OnResult: func(r PressResult) {
		fa.mu.Lock()
		fa.results = append(fa.results, r)
		fa.mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fa.agent.Serve(ctx, in) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Serve = %v", err)
		}
		if t.Failed() {
			t.Logf("agent %s log:\n%s", id, fa.logs)
		}
	})
	return fa
}

func (fa *faultAgent) resultList() []PressResult {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	return append([]PressResult(nil), fa.results...)
}

// light waits up to limit for the LED to show want and returns how long
// it took.
func (fa *faultAgent) light(t *testing.T, want LEDState, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for fa.agent.LED().State() != want {
		if time.Since(start) > limit {
			t.Fatalf("the LED shows %s after %v, want %s", fa.agent.LED().State(), limit, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// connected waits until the agent is welcomed and its LED shows want (the
// LED starts off, before any link).
func (fa *faultAgent) connected(t *testing.T, want LEDState) {
	t.Helper()
	waitFor(t, "the welcome", func() bool {
		_, ok := fa.logs.first(time.Time{}, "button: connected")
		return ok
	})
	fa.light(t, want, 5*time.Second)
}

// lost waits up to limit after since for the agent's "lost the server"
// and returns how long after since it came.
func (fa *faultAgent) lost(t *testing.T, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	for {
		if at, ok := fa.logs.first(since, "button: lost the server"); ok {
			return at.Sub(since)
		}
		if time.Since(since) > limit+time.Second {
			t.Fatalf("no \"lost the server\" in the agent's log %v after the fault", limit+time.Second)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countFires counts the fire messages scr got within wait.
func countFires(scr *screen, wait time.Duration) int {
	n := 0
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-scr.fires:
			if !ok {
				return n
			}
			n++
		case <-timeout:
			return n
		}
	}
}

// The real agent through a broken network: it notices the loss (a
// half-open link by its own keepalive, within 5 s), and after the fault
// ends its LED shows the state changed meanwhile within 3 s.
// static/pagetest's TestFaultsPagesRecover runs the agent through the same
// faults next to stage pages in Chromium.
func TestFaultAgentFollowsTheState(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*faultproxy.Proxy)
	}{
		{"drop", (*faultproxy.Proxy).Drop},
		{"reset", (*faultproxy.Proxy).Reset},
		{"half-open", (*faultproxy.Proxy).HalfOpen},
		// A 10 s stall: TestFaultAgentPressDuringStall.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startRealServer(t, nil)
			fa := startFaultAgent(t, srv, "nut-1")
			fa.connected(t, Off)

			start := time.Now()
			tt.fault(fa.proxy)
			noticed := fa.lost(t, start, 5*time.Second)
			if noticed > 5*time.Second {
				t.Errorf("the agent noticed the fault after %v, want within 5 s", noticed)
			}
			srv.exec(t, controller.Command{Type: controller.CmdArm})
			time.Sleep(time.Second) // a few failed tries to reconnect
			if s := fa.agent.LED().State(); s != FastBlink {
				t.Errorf("during the fault the LED shows %s, want fast blink (offline)", s)
			}
			fa.proxy.Heal()
			back := fa.light(t, SlowBlink, 3*time.Second)
			t.Logf("%s: the agent noticed it after %v; the LED showed the new state %v after the fault ended", tt.name, noticed.Round(time.Millisecond), back.Round(time.Millisecond))
		})
	}
}

// A press during a stall, with the default MaxAge of 3 s: delivered once
// when the stall ends in time, dropped and logged when it does not, and
// never delivered late: the journal holds it at most once and the launch
// fires at most once.
func TestFaultAgentPressDuringStall(t *testing.T) {
	tests := []struct {
		name  string
		stall time.Duration
		fires int // fire messages the screen gets
	}{
		{"ends within max age", time.Second, 1},
		{"ends after max age", 10 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startRealServer(t, nil)
			scr := dialScreen(t, srv.url) // a screen on a path that never breaks
			fa := startFaultAgent(t, srv, "nut-1")
			fa.connected(t, Off)
			srv.exec(t, controller.Command{Type: controller.CmdArm})
			fa.light(t, SlowBlink, 5*time.Second)

			start := time.Now()
			fa.proxy.Stall(tt.stall)
			time.Sleep(200 * time.Millisecond)
			fa.pin.Press(context.Background(), 50*time.Millisecond)
			waitFor(t, "the press's end", func() bool { return len(fa.resultList()) == 1 })
			r := fa.resultList()[0]
			t.Logf("%s: the press ended %v after the stall began: %+v", tt.name, time.Since(start).Round(time.Millisecond), r)
			if tt.fires == 1 {
				if r.Outcome != controller.OutcomeFired || r.Dropped {
					t.Errorf("press %+v: want fired", r)
				}
			} else {
				if !r.Dropped || r.Outcome != "" {
					t.Errorf("press %+v: want dropped", r)
				}
				if _, ok := fa.logs.first(start, "button: press dropped"); !ok {
					t.Error("the dropped press is not logged")
				}
			}
			// Past the stall's end, the agent back, and a little more: a
			// press held by the network would have arrived by now.
			time.Sleep(tt.stall - time.Since(start))
			want := SlowBlink
			if tt.fires == 1 {
				want = Celebrate
			}
			fa.light(t, want, 3*time.Second)
			back := time.Since(start.Add(tt.stall))
			t.Logf("%s: the LED showed %s %v after the stall ended", tt.name, want, back.Round(time.Millisecond))
			if tt.fires == 0 {
				noticed := fa.lost(t, start, 5*time.Second)
				t.Logf("%s: the agent noticed the stall after %v", tt.name, noticed.Round(time.Millisecond))
				if noticed > 5*time.Second {
					t.Errorf("the agent noticed the stall after %v, want within 5 s", noticed)
				}
			}
			if got := countFires(scr, time.Second); got != tt.fires {
				t.Errorf("the screen got %d fire messages, want %d", got, tt.fires)
			}
			j := srv.journal(t)
			if n := len(j["nut-1"]); n != tt.fires || (n == 1 && j["nut-1"][r.PressID] != 1) {
				t.Errorf("journal %v: want the press of nut-1 %d time(s)", j, tt.fires)
			}
			if l := srv.engine.Snapshot().State.Launch; (l.Phase == controller.LaunchFired) != (tt.fires == 1) {
				t.Errorf("launch %+v after the press", l)
			}
		})
	}
}
