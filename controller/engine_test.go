package controller_test

import (
	"errors"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func openEngine(t *testing.T, store controller.Store, clock controller.Clock) *controller.Engine {
	t.Helper()
	e, err := controller.Open(controller.Config{Store: store, Clock: clock, DefaultShow: testShow(t)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var operator = controller.Actor{Role: "operator", Name: "MC"}

func TestEngineLoadsDefaultShowOnEmptyStore(t *testing.T) {
	store := newMemStore()
	e := openEngine(t, store, newFakeClock())
	snap := e.Snapshot()
	if snap.Show.Title != "Lễ thử" || snap.State.Current != 0 || snap.State.Timer.DurationMs != 60_000 {
		t.Fatalf("unexpected start: %q current %d timer %+v", snap.Show.Title, snap.State.Current, snap.State.Timer)
	}
	if store.saved == nil {
		t.Fatal("default show was not saved")
	}
}

func TestEngineCommitsBeforePublishing(t *testing.T) {
	store := newMemStore()
	e := openEngine(t, store, newFakeClock())
	rec := &recorder{}
	e.Subscribe(rec)
	if _, err := e.Execute(cmd(controller.CmdNext), operator); err != nil {
		t.Fatal(err)
	}
	if got := rec.last().State.Seq; got != store.saved.State.Seq {
		t.Fatalf("published seq %d, saved seq %d", got, store.saved.State.Seq)
	}

	store.fail = errors.New("disk full")
	before := e.Snapshot().State.Seq
	if _, err := e.Execute(cmd(controller.CmdNext), operator); err == nil {
		t.Fatal("a failed commit was acknowledged")
	}
	if got := e.Snapshot().State.Seq; got != before {
		t.Fatalf("state moved to %d although the commit failed", got)
	}
	if n := len(rec.snaps); n != 2 {
		t.Fatalf("%d snapshots published, want 2 (subscribe + one accepted command)", n)
	}
}

func TestEngineSequenceConflict(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	seq := e.Snapshot().State.Seq
	a := cmd(controller.CmdNext)
	a.Seq = &seq
	b := a // a second operator decided on the same state
	if _, err := e.Execute(a, operator); err != nil {
		t.Fatal(err)
	}
	_, err := e.Execute(b, operator)
	if controller.ErrorCode(err) != controller.ECONFLICT {
		t.Fatalf("second Next: %v, want conflict", err)
	}
	if got := e.Snapshot().State.Current; got != 1 {
		t.Fatalf("current = %d, want 1: two Nexts on the same state advance once", got)
	}
}

func TestEngineRetryWithSameIDIsNotAppliedTwice(t *testing.T) {
	store := newMemStore()
	e := openEngine(t, store, newFakeClock())
	c := controller.Command{Type: controller.CmdAddTime, Seconds: 60, ID: "mc-1"}
	first, err := e.Execute(c, operator)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.Execute(c, operator)
	if err != nil || again.Answer != first.Answer {
		t.Fatalf("retry answered %+v, %v; want the first answer %+v", again.Answer, err, first.Answer)
	}
	if got := e.Snapshot().State.Timer.AddedMs; got != 60_000 {
		t.Fatalf("added %d ms, want 60000 once", got)
	}
	// A refused command's retry is refused the same way.
	bad := controller.Command{Type: controller.CmdPause, ID: "mc-2"}
	_, err1 := e.Execute(bad, operator)
	_, err2 := e.Execute(bad, operator)
	if controller.ErrorCode(err1) != controller.ECONFLICT || controller.ErrorCode(err2) != controller.ECONFLICT {
		t.Fatalf("refused retry: %v then %v", err1, err2)
	}
}

func TestEnginePressIsIdempotentByPressID(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	if _, err := e.Execute(cmd(controller.CmdArm), operator); err != nil {
		t.Fatal(err)
	}
	btn := controller.Actor{Role: "button", Name: "Nút 1"}
	first, err := e.Execute(press("b1", "p1"), btn)
	if err != nil || first.Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("press: %+v %v", first.Answer, err)
	}
	// The agent resends the same press after a reconnect: same answer, no change.
	again, err := e.Execute(press("b1", "p1"), btn)
	if err != nil || again.Answer != first.Answer {
		t.Fatalf("resent press: %+v %v, want %+v", again.Answer, err, first.Answer)
	}
	if _, err := e.Execute(press("b1", "p2"), btn); controller.ErrorCode(err) != controller.EDUPLICATE {
		t.Fatalf("a new press after the fire: %v, want duplicate", err)
	}
}

func TestEngineJournalsRefusedCommands(t *testing.T) {
	store := newMemStore()
	e := openEngine(t, store, newFakeClock())
	_, _ = e.Execute(cmd(controller.CmdPause), operator)
	last := store.journal[len(store.journal)-1]
	if last.Command.Type != controller.CmdPause || last.Answer.Error == nil || last.Actor.Name != "MC" {
		t.Fatalf("journal entry = %+v", last)
	}
}

func TestEngineRestartResumesTimer(t *testing.T) {
	store := newMemStore()
	clock := newFakeClock()
	e := openEngine(t, store, clock)
	for _, c := range []controller.Command{
		{Type: controller.CmdGoto, Segment: "talk"},
		{Type: controller.CmdStart},
		{Type: controller.CmdArm},
	} {
		if _, err := e.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(42 * time.Second)
	want := e.Snapshot().State.Timer.Remaining(clock.Now())

	restarted := openEngine(t, store, clock)
	snap := restarted.Snapshot()
	if got := snap.State.Timer.Remaining(clock.Now()); got != want || got != 58*time.Second {
		t.Fatalf("after restart remaining %v, want %v (58s)", got, want)
	}
	if snap.State.Launch.Phase != controller.LaunchArmed || snap.Show.Segments[snap.State.Current].ID != "talk" {
		t.Fatalf("after restart: %+v", snap.State)
	}
}

func TestEngineExpire(t *testing.T) {
	clock := newFakeClock()
	e := openEngine(t, newMemStore(), clock)
	if _, err := e.Execute(controller.Command{Type: controller.CmdGoto, Segment: "video"}, operator); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(cmd(controller.CmdStart), operator); err != nil {
		t.Fatal(err)
	}
	clock.Advance(29 * time.Second)
	if changed, _ := e.Expire(); changed {
		t.Fatal("expired before zero")
	}
	clock.Advance(time.Second)
	if changed, err := e.Expire(); !changed || err != nil {
		t.Fatalf("did not expire at zero: %v", err)
	}
	if got := e.Snapshot().State.Current; got != 3 {
		t.Fatalf("current = %d, want 3 (advanced to launch)", got)
	}
}

func TestEngineReplaceShow(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	if _, err := e.Execute(controller.Command{Type: controller.CmdGoto, Segment: "talk"}, operator); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(cmd(controller.CmdStart), operator); err != nil {
		t.Fatal(err)
	}
	longer := testShow(t)
	longer.Segments[1].DurationSec = 300
	if _, err := e.ReplaceShow(longer, false, operator); controller.ErrorCode(err) != controller.ECONFLICT {
		t.Fatalf("replace while running: %v, want conflict", err)
	}
	bad := testShow(t)
	bad.Segments[2].ID = "talk"
	if _, err := e.ReplaceShow(bad, true, operator); controller.ErrorCode(err) != controller.EINVALID {
		t.Fatalf("replace with duplicate ids: %v, want invalid", err)
	}
	if _, err := e.ReplaceShow(longer, true, operator); err != nil {
		t.Fatal(err)
	}
	snap := e.Snapshot()
	if snap.State.ShowRev != 2 || snap.State.Timer.DurationMs != 300_000 || snap.State.Timer.Phase != controller.TimerRunning {
		t.Fatalf("after forced replace: rev %d timer %+v", snap.State.ShowRev, snap.State.Timer)
	}
}
