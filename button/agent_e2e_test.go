package button

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// quick is the input configuration of the end-to-end tests: the default
// glitch filter, a short lockout so that presses can follow each other.
var quick = Config{Lockout: 30 * time.Millisecond}

func TestEndToEndPressFiresEveryScreen(t *testing.T) {
	srv := startRealServer(t, nil)
	scr := dialScreen(t, srv.url)
	ld := startLeader(t, srv, "nut-1", quick)
	ld.light(t, Off)

	// Not armed: the press is answered and changes nothing.
	ld.tap()
	waitFor(t, "the answer", func() bool { return len(ld.resultList()) == 1 })
	if r := ld.resultList()[0]; r.Code != controller.ENOTARMED {
		t.Errorf("press while idle: %+v, want not_armed", r)
	}

	srv.exec(t, controller.Command{Type: controller.CmdArm})
	ld.light(t, SlowBlink)
	before := time.Now()
	ld.tap()
	f := scr.nextFire(t)
	ld.light(t, Celebrate)
	waitFor(t, "the answer", func() bool { return len(ld.resultList()) == 2 })
	r := ld.resultList()[1]
	if r.Outcome != controller.OutcomeFired || r.Sends != 1 {
		t.Errorf("press while armed: %+v, want fired", r)
	}
	l := srv.engine.Snapshot().State.Launch
	if l.Phase != controller.LaunchFired || l.FireID != f.id || l.Source != "button:nut-1" {
		t.Errorf("launch %+v, screen saw fire %q", l, f.id)
	}
	// The press is dated in server time, near the edge: the same machine's
	// clock here, within the clock estimate's error (TestAgentPressedAtIsServerTime
	// checks the arithmetic exactly).
	slack := 20 * time.Millisecond
	if at := time.UnixMilli(l.Presses[0].At); at.Before(before.Add(-slack)) || at.After(f.at.Add(slack)) {
		t.Errorf("press dated %s: want between the edge (%s) and the fire at the screen (%s)",
			at.Format("15:04:05.000"), before.Format("15:04:05.000"), f.at.Format("15:04:05.000"))
	}
	if !ld.logs.has("press answered: it fired the launch") {
		t.Errorf("the answer is not logged")
	}
}

// Two leaders must both press: each light confirms its own press, and a
// second press of the same button does not count twice.
func TestEndToEndTwoLeaders(t *testing.T) {
	srv := startRealServer(t, func(s *controller.Show) {
		s.Launch.RequiredPresses = 2
		s.Launch.WindowMs = 30_000
	})
	scr := dialScreen(t, srv.url)
	one := startLeader(t, srv, "nut-1", quick)
	two := startLeader(t, srv, "nut-2", quick)
	srv.exec(t, controller.Command{Type: controller.CmdArm})
	one.light(t, SlowBlink)
	two.light(t, SlowBlink)

	one.tap()
	one.light(t, Solid)
	waitFor(t, "the answer", func() bool { return len(one.resultList()) == 1 })
	if r := one.resultList()[0]; r.Outcome != controller.OutcomeCounted {
		t.Errorf("first press of nut-1: %+v, want counted", r)
	}
	if s := two.agent.LED().State(); s != SlowBlink {
		t.Errorf("nut-2 shows %s after nut-1's press, want slow blink", s)
	}

	one.tap()
	waitFor(t, "the answer", func() bool { return len(one.resultList()) == 2 })
	if r := one.resultList()[1]; r.Code != controller.EDUPLICATE {
		t.Errorf("second press of nut-1: %+v, want duplicate", r)
	}
	if l := srv.engine.Snapshot().State.Launch; len(l.Presses) != 1 || l.Phase != controller.LaunchArmed {
		t.Fatalf("launch %+v: want one press counted, still armed", l)
	}

	two.tap()
	scr.nextFire(t)
	one.light(t, Celebrate)
	two.light(t, Celebrate)
	waitFor(t, "the answer", func() bool { return len(two.resultList()) == 1 })
	if r := two.resultList()[0]; r.Outcome != controller.OutcomeFired {
		t.Errorf("press of nut-2: %+v, want fired", r)
	}
}

// The agent that lost its link resends the press, and the server counts it
// once: the journal holds one entry for the press id.
func TestEndToEndResendIsCountedOnce(t *testing.T) {
	srv := startRealServer(t, nil)
	d := &cutDialer{}
	key := srv.key(t, "nut-1")
	ta := startAgentDialer(t, srv.url, "nut-1", func(c *AgentConfig) { c.Key = key }, d)
	waitFor(t, "the first state", func() bool { return ta.LED().State() == Off })
	srv.exec(t, controller.Command{Type: controller.CmdArm})
	waitFor(t, "armed", func() bool { return ta.LED().State() == SlowBlink })
	d.cutAfterWrite(`"type":"press"`) // the press leaves, the answer is lost
	ta.press(0)
	waitFor(t, "the answer", func() bool { return len(ta.resultList()) == 1 })
	r := ta.resultList()[0]
	if r.Sends != 2 || r.Outcome != controller.OutcomeFired {
		t.Errorf("result %+v: want fired, after a resend", r)
	}
	if j := srv.journal(t); len(j) != 1 || len(j["nut-1"]) != 1 || j["nut-1"][r.PressID] != 1 {
		t.Errorf("journal %v: want the press of nut-1 once", j)
	}
}
