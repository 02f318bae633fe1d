package button

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

func TestAgentHelloPressAnswer(t *testing.T) {
	srv := newFakeServer(t)
	ta := startAgent(t, srv.url(), "nut-1", func(c *AgentConfig) { c.Name = "Nút 1 – Chủ tịch UBND tỉnh" })
	waitFor(t, "the connection", func() bool { return srv.connected() == 1 })
	ta.press(0)
	ta.press(time.Millisecond)
	waitFor(t, "two answers", func() bool { return len(ta.resultList()) == 2 })

	hellos, presses, _ := srv.snapshot()
	want := protocol.HelloMsg{Type: "hello", Role: "button", Name: "Nút 1 – Chủ tịch UBND tỉnh", Button: "nut-1", Key: testKey}
	if len(hellos) != 1 || hellos[0] != want {
		t.Errorf("hellos %+v, want one %+v", hellos, want)
	}
	if len(presses) != 2 || presses[0].PressID == presses[1].PressID || presses[0].Ref == presses[1].Ref {
		t.Fatalf("presses %+v: want two with distinct ids and refs", presses)
	}
	for i, p := range presses {
		if !strings.HasPrefix(p.PressID, "nut-1-") || p.Type != "press" {
			t.Errorf("press %d: %+v", i, p)
		}
	}
	for i, r := range ta.resultList() {
		if r.Outcome != protocol.OutcomeCounted || r.Code != "" || r.Dropped || r.Sends != 1 || r.PressID != presses[i].PressID {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if !ta.logs.has("press answered: counted", presses[0].PressID) {
		t.Errorf("the answer is not logged:\n%s", ta.logs)
	}
}

func TestAgentPressIDsDifferAcrossRestarts(t *testing.T) {
	a1, err := NewAgent(AgentConfig{Server: "ws://x/ws", Key: "k", ButtonID: "nut-1"}, AgentOptions{Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := NewAgent(AgentConfig{Server: "ws://x/ws", Key: "k", ButtonID: "nut-1"}, AgentOptions{Clock: newFakeClock()})
	ev := Event{Kind: Press, At: t0}
	var b1, b2 pressBook
	b1.byRef, b2.byRef = map[string]*pending{}, map[string]*pending{}
	p1, p2 := b1.add(a1, ev), b2.add(a2, ev)
	if a1.session == a2.session {
		t.Skip("the two random session tags collided (1 in 65536)")
	}
	if p1.id == p2.id {
		t.Errorf("two agents started at the same instant gave the same press id %q", p1.id)
	}
	if want := "nut-1-1742976000000-"; !strings.HasPrefix(p1.id, want) {
		t.Errorf("press id %q, want it to start with %q", p1.id, want)
	}
}

func TestAgentPressedAtIsServerTime(t *testing.T) {
	// The agent's clock stands still at t0; the server's is 10 s ahead and
	// answers at once, so every sample says offset = 10 000 ms exactly.
	agentMs := clocksync.Stamp(t0)
	srv := newFakeServer(t)
	srv.now = func() float64 { return agentMs + 10_000 }
	ta := startAgent(t, srv.url(), "nut-1", nil)
	waitFor(t, "two clock samples", func() bool { _, _, n := srv.snapshot(); return n >= 2 })
	ta.press(-40 * time.Millisecond)
	waitFor(t, "the answer", func() bool { return len(ta.resultList()) == 1 })
	_, presses, _ := srv.snapshot()
	if want := int64(agentMs) + 10_000 - 40; presses[0].PressedAt != want {
		t.Errorf("pressedAt %d, want %d: the event time plus the offset", presses[0].PressedAt, want)
	}
}

func TestAgentResendsAfterReconnect(t *testing.T) {
	srv := newFakeServer(t)
	srv.decide = func(p protocol.PressMsg, n int) (string, string, bool, bool) {
		return protocol.OutcomeFired, "", n == 1, false // cut the link on the first try
	}
	ta := startAgent(t, srv.url(), "nut-1", nil)
	waitFor(t, "the connection", func() bool { return srv.connected() == 1 })
	ta.press(0)
	waitFor(t, "the answer", func() bool { return len(ta.resultList()) == 1 })
	_, presses, _ := srv.snapshot()
	if len(presses) != 2 || presses[0].PressID != presses[1].PressID {
		t.Fatalf("the server got %+v: want the same press twice", presses)
	}
	r := ta.resultList()[0]
	if r.Outcome != protocol.OutcomeFired || r.Sends != 2 || r.Dropped {
		t.Errorf("result %+v: want fired after 2 sends", r)
	}
	if !ta.logs.has("press resent after a reconnect", r.PressID) {
		t.Errorf("the resend is not logged:\n%s", ta.logs)
	}
}

// A press made while the server is away is sent once it is back only if
// it is still younger than MaxAge.
func TestAgentMaxAge(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outage  time.Duration // fake time that passes while the server is away
		dropped bool
	}{
		{"young press is resent", time.Second, false},
		{"old press is dropped", DefaultMaxAge + time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t)
			ta := startAgent(t, srv.url(), "nut-1", nil)
			waitFor(t, "the first state", func() bool { return ta.LED().State() == Off })
			srv.setDown(true)
			waitFor(t, "the agent to notice", func() bool { return ta.LED().State() == FastBlink })
			ta.press(0)
			waitFor(t, "the press to be held", func() bool { return ta.logs.has("press held until the server is back") })
			ta.clock.set(ta.clock.Now().Add(tc.outage))
			srv.setDown(false)
			waitFor(t, "an outcome", func() bool { return len(ta.resultList()) == 1 })
			r := ta.resultList()[0]
			_, presses, _ := srv.snapshot()
			if r.Dropped != tc.dropped {
				t.Errorf("result %+v: dropped %v, want %v", r, r.Dropped, tc.dropped)
			}
			if tc.dropped {
				if len(presses) != 0 {
					t.Errorf("the server got %+v: a press older than MaxAge was sent", presses)
				}
				if !ta.logs.has("press dropped", r.PressID) {
					t.Errorf("the drop is not logged:\n%s", ta.logs)
				}
			} else if len(presses) != 1 || r.Outcome != protocol.OutcomeCounted {
				t.Errorf("server got %+v, result %+v: want one press, counted", presses, r)
			}
		})
	}
}

func TestAgentGivesUpUnansweredPress(t *testing.T) {
	srv := newFakeServer(t)
	srv.decide = func(protocol.PressMsg, int) (string, string, bool, bool) { return "", "", false, true }
	ta := startAgent(t, srv.url(), "nut-1", func(c *AgentConfig) { c.MaxAge = 50 * time.Millisecond })
	waitFor(t, "the connection", func() bool { return srv.connected() == 1 })
	ta.press(0)
	waitFor(t, "the press at the server", func() bool { _, p, _ := srv.snapshot(); return len(p) == 1 })
	ta.clock.set(ta.clock.Now().Add(time.Second))
	waitFor(t, "the drop", func() bool { return len(ta.resultList()) == 1 })
	if r := ta.resultList()[0]; !r.Dropped || r.Sends != 1 {
		t.Errorf("result %+v: want dropped after one send", r)
	}
	if !ta.logs.has("press dropped: the server did not answer in time") {
		t.Errorf("the drop is not logged:\n%s", ta.logs)
	}
}

func TestAgentLogsEveryAnswer(t *testing.T) {
	answers := []struct{ outcome, code, log string }{
		{protocol.OutcomeCounted, "", "counted, waiting for the other buttons"},
		{protocol.OutcomeFired, "", "it fired the launch"},
		{"", protocol.CodeNotArmed, "the launch is not armed, the press was ignored"},
		{"", protocol.CodeDuplicate, "duplicate, it changes nothing"},
		{"", protocol.CodeRateLimited, "press refused"},
	}
	srv := newFakeServer(t)
	srv.decide = func(p protocol.PressMsg, n int) (string, string, bool, bool) {
		return answers[n-1].outcome, answers[n-1].code, false, false
	}
	ta := startAgent(t, srv.url(), "nut-1", nil)
	waitFor(t, "the connection", func() bool { return srv.connected() == 1 })
	for i := range answers {
		ta.press(time.Duration(i) * time.Millisecond)
	}
	waitFor(t, "every answer", func() bool { return len(ta.resultList()) == len(answers) })
	for i, r := range ta.resultList() {
		a := answers[i]
		if r.Outcome != a.outcome || r.Code != a.code {
			t.Errorf("press %d: result %+v, want outcome %q code %q", i, r, a.outcome, a.code)
		}
		if !ta.logs.has(a.log, r.PressID) {
			t.Errorf("press %d: no log line with %q", i, a.log)
		}
	}
}

func TestAgentRefusedHello(t *testing.T) {
	srv := newFakeServer(t)
	ta := startAgent(t, srv.url(), "nut-1", func(c *AgentConfig) { c.Key = "s3cr3t-not-the-key" })
	waitFor(t, "the refusal in the log", func() bool {
		return ta.logs.has("refused this button", "code=unauthorized")
	})
	if s := ta.LED().State(); s != FastBlink {
		t.Errorf("LED %s, want fast blink", s)
	}
	// A refused key is not retried at once: the agent logs the reconnect
	// it has just scheduled, authBackoff (15 s) away where a failed dial
	// would be retried within 100 ms. Once that line is out, the retry
	// timer is set; only the first hello has reached the server.
	waitFor(t, "the scheduled retry in the log", func() bool {
		return ta.logs.has("did not welcome this button", "retryIn="+authBackoff.String())
	})
	if hellos, _, _ := srv.snapshot(); len(hellos) != 1 {
		t.Errorf("%d hellos after a refusal, want 1", len(hellos))
	}
	if strings.Contains(ta.logs.String(), "s3cr3t") {
		t.Errorf("the key was logged:\n%s", ta.logs)
	}
}

func TestAgentLEDFollowsServer(t *testing.T) {
	srv := newFakeServer(t)
	srv.now = func() float64 { return clocksync.Stamp(t0) } // same clock as the agent
	ta := startAgent(t, srv.url(), "nut-1", nil)
	led := ta.LED()
	waitFor(t, "the connection", func() bool { return srv.connected() == 1 })
	waitFor(t, "a clock sample", func() bool { _, _, n := srv.snapshot(); return n >= 2 })
	now := clocksync.Stamp(t0)
	press := func(button string) protocol.Press {
		return protocol.Press{Button: button, PressID: button + "-1", At: int64(now)}
	}
	steps := []struct {
		name   string
		launch protocol.Launch
		fire   bool
		want   LEDState
	}{
		{"idle", protocol.Launch{Phase: protocol.LaunchIdle}, false, Off},
		{"armed", protocol.Launch{Phase: protocol.LaunchArmed, Required: 2}, false, SlowBlink},
		{"another button counted", protocol.Launch{Phase: protocol.LaunchArmed, Required: 2,
			Presses: []protocol.Press{press("nut-2")}}, false, SlowBlink},
		{"this button counted", protocol.Launch{Phase: protocol.LaunchArmed, Required: 2,
			Presses: []protocol.Press{press("nut-2"), press("nut-1")}}, false, Solid},
		{"fired at fireAt", protocol.Launch{Phase: protocol.LaunchFired, FireID: "f9", FireAt: int64(now) + 150,
			Presses: []protocol.Press{press("nut-2"), press("nut-1")}}, true, Celebrate},
	}
	for _, s := range steps {
		if s.fire {
			srv.fire(s.launch.FireID, float64(s.launch.FireAt))
		}
		srv.setLaunch(s.launch)
		waitFor(t, s.name+": LED "+s.want.String(), func() bool { return led.State() == s.want })
	}
	srv.setDown(true)
	waitFor(t, "fast blink while the server is away", func() bool { return led.State() == FastBlink })
	srv.setDown(false)
	// Back with the same fire: it was celebrated already, the LED goes dark.
	waitFor(t, "off after the fire", func() bool { return led.State() == Off })
}

func TestLaunchLight(t *testing.T) {
	mine := protocol.Press{Button: "nut-1"}
	other := protocol.Press{Button: "nut-2"}
	for _, tc := range []struct {
		l    protocol.Launch
		want LEDState
	}{
		{protocol.Launch{Phase: protocol.LaunchIdle}, Off},
		{protocol.Launch{Phase: protocol.LaunchArmed}, SlowBlink},
		{protocol.Launch{Phase: protocol.LaunchArmed, Presses: []protocol.Press{other}}, SlowBlink},
		{protocol.Launch{Phase: protocol.LaunchArmed, Presses: []protocol.Press{other, mine}}, Solid},
		{protocol.Launch{Phase: protocol.LaunchFired}, Celebrate},
		{protocol.Launch{}, Off},
	} {
		if got := LaunchLight(tc.l, "nut-1"); got != tc.want {
			t.Errorf("LaunchLight(%+v) = %s, want %s", tc.l, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for n, full := range []time.Duration{100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000} {
		full *= time.Millisecond
		lo, hi := backoff(n, 0), backoff(n, 0.999999)
		if lo != full/2 || hi > full || hi < full*99/100 {
			t.Errorf("attempt %d: backoff in [%s, %s], want [%s, %s]", n, lo, hi, full/2, full)
		}
	}
	if d := backoff(1000, 0.5); d > BackoffCap {
		t.Errorf("backoff after many attempts is %s, over the cap %s", d, BackoffCap)
	}
}
