package cues

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// fixture is an engine on a fake clock whose show lists cues to the
// receivers, and a sender subscribed to it.
type fixture struct {
	engine *controller.Engine
	clock  *clockwork.FakeClock
	r      *receivers
	sent   string // the sent file
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: clockwork.NewFakeClockAt(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)), r: newReceivers(t)}
	f.sent = filepath.Join(t.TempDir(), "cues-sent.json")
	store, err := bolt.Open(filepath.Join(t.TempDir(), "show.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	show.Launch.Cues = []controller.Cue{
		{Kind: controller.CueOSC, Target: f.r.oscTarget(), Address: "/lights/go", Args: []json.RawMessage{json.RawMessage(`"lights"`)}},
		{Kind: controller.CueHTTP, Target: f.r.http.URL + "/companion", Method: "POST", Body: "companion", DelayMs: 1000},
		{Kind: controller.CueHTTP, Target: f.r.http.URL + "/confetti", Method: "POST", Body: "confetti", DelayMs: 500, SkipRehearsal: true},
		{Kind: controller.CueOSC, Target: f.r.oscTarget(), Address: "/pyro/fire", Args: []json.RawMessage{json.RawMessage(`"pyro"`)}, SkipRehearsal: true},
	}
	if f.engine, err = controller.Open(controller.Config{Store: store, Clock: f.clock, DefaultShow: show, Log: quiet()}); err != nil {
		t.Fatal(err)
	}
	return f
}

// start starts a sender on the fixture's sent file and subscribes it.
func (f *fixture) start(t *testing.T) *Sender {
	t.Helper()
	s, err := Start(Config{Clock: f.clock, Primary: f.engine.Primary, SentFile: f.sent, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	f.engine.Subscribe(s)
	return s
}

func (f *fixture) exec(t *testing.T, cmd controller.Command) error {
	t.Helper()
	_, err := f.engine.Execute(cmd, controller.Actor{Role: "api", Name: "test"})
	return err
}

func (f *fixture) must(t *testing.T, cmd controller.Command) {
	t.Helper()
	if err := f.exec(t, cmd); err != nil {
		t.Fatalf("%s: %v", cmd.Type, err)
	}
}

// TestRehearsalFireSendsItsCuesOnce: a rehearsal's fire sends the cues
// without skipRehearsal, each once, at fireAt plus its delay on the
// server's clock; a second press is a duplicate and sends nothing; a
// restart sends nothing again.
func TestRehearsalFireSendsItsCuesOnce(t *testing.T) {
	f := newFixture(t)
	s := f.start(t)
	on := true
	f.must(t, controller.Command{Type: controller.CmdRehearsal, On: &on})
	f.must(t, controller.Command{Type: controller.CmdArm})
	f.must(t, controller.Command{Type: controller.CmdPress, Button: "nut-1", PressID: "p1"})
	launch := f.engine.Snapshot().State.Launch
	if launch.Phase != controller.LaunchFired {
		t.Fatalf("launch %q after the press", launch.Phase)
	}
	err := f.exec(t, controller.Command{Type: controller.CmdPress, Button: "nut-2", PressID: "p2"})
	if controller.ErrorCode(err) != controller.EDUPLICATE {
		t.Fatalf("second press: %v, want duplicate", err)
	}
	f.must(t, controller.Command{Type: controller.CmdNext}) // another fired state published
	waitCount(t, fires(s, FireScheduled), 1)
	waitCount(t, fires(s, FireDuplicate), 1)
	waitCount(t, cueCount(s, "http", CueSkipped), 1)
	waitCount(t, cueCount(s, "osc", CueSkipped), 1)

	fireAt := time.UnixMilli(launch.FireAt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Nothing before fireAt: the two cues wait on the server's clock.
	if err := f.clock.BlockUntilContext(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n := len(f.r.arrivals()); n != 0 {
		t.Fatalf("%d cues before fireAt", n)
	}
	f.clock.Advance(fireAt.Sub(f.clock.Now()))
	if a := <-f.r.got; a.body != "lights" || a.what != "/lights/go" {
		t.Fatalf("at fireAt: %+v, want the lights' OSC cue", a)
	}
	if err := f.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(999 * time.Millisecond)
	if n := len(f.r.arrivals()); n != 1 {
		t.Fatalf("%d cues 1 ms before the delayed one's instant, want 1", n)
	}
	f.clock.Advance(time.Millisecond)
	if a := <-f.r.got; a.body != "companion" || a.what != "POST /companion" {
		t.Fatalf("at fireAt+1s: %+v, want Companion's HTTP cue", a)
	}
	waitCount(t, cueCount(s, "http", CueSent), 1)
	waitCount(t, cueCount(s, "osc", CueSent), 1)

	// A restart: the new sender is told the fired state and sends nothing.
	s.Close()
	again := f.start(t)
	waitCount(t, fires(again, FireDuplicate), 1)
	if n := len(f.r.arrivals()); n != 2 {
		t.Fatalf("%d cues received in all, want 2 (lights, companion)", n)
	}
}

// TestStandbyAndStaleFiresSendNothing: a server that is not the primary,
// or that learns of a fire long after its instant, sends no cue.
func TestStandbyAndStaleFiresSendNothing(t *testing.T) {
	show := &controller.Show{Launch: controller.LaunchSet{Cues: []controller.Cue{
		{Kind: controller.CueHTTP, Target: "http://127.0.0.1:1/x", Method: "POST"}}}}
	clock := clockwork.NewFakeClockAt(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	snap := func(id string, fireAt time.Time) controller.Snapshot {
		return controller.Snapshot{Show: show, State: controller.State{Launch: controller.Launch{
			Phase: controller.LaunchFired, FireID: id, FireAt: fireAt.UnixMilli()}}}
	}
	standby, err := Start(Config{Clock: clock, Primary: func() bool { return false }, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close()
	standby.Publish(snap("f1", clock.Now()))
	waitCount(t, fires(standby, FireNotOurs), 1)

	primary, err := Start(Config{Clock: clock, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	primary.Publish(snap("f2", clock.Now().Add(-StaleAfter-time.Second)))
	waitCount(t, fires(primary, FireStale), 1)
	for _, s := range []*Sender{standby, primary} {
		if n := cueCount(s, "http", CueSent)() + cueCount(s, "http", CueFailed)(); n != 0 {
			t.Fatalf("%v cues tried", n)
		}
	}
}
