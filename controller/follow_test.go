package controller_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// tapStore is a memStore that keeps every accepted record, as the
// primary's journal publisher sees them.
type tapStore struct {
	*memStore
	recs []controller.Record
}

func (s *tapStore) Commit(rec controller.Record) error {
	if err := s.memStore.Commit(rec); err != nil {
		return err
	}
	s.recs = append(s.recs, rec)
	return nil
}

// pair is a primary with a tapped store and a standby restored from the
// primary's snapshot, each on a clock of its own.
type pair struct {
	primary, standby *controller.Engine
	pclock, sclock   *fakeClock
	tap              *tapStore
	sstore           *memStore
	followed         int // records of tap already fed to the standby
}

func newPair(t *testing.T) *pair {
	t.Helper()
	p := &pair{pclock: newFakeClock(), sclock: newFakeClock(), tap: &tapStore{memStore: newMemStore()}, sstore: newMemStore()}
	p.sclock.Advance(17*time.Hour + 3*time.Millisecond) // the standby's clock must not matter
	p.primary = openEngine(t, p.tap, p.pclock)
	p.standby = openEngine(t, p.sstore, p.sclock)
	p.standby.SetPrimary(false)
	snap := p.primary.Snapshot()
	if _, err := p.standby.Restore(snap.Show, snap.State, 1, controller.Actor{Role: "system", Name: "test"}, ""); err != nil {
		t.Fatal(err)
	}
	p.followed = len(p.tap.recs)
	return p
}

// follow feeds the standby every record the primary committed since the
// last call and checks that both states are equal after each.
func (p *pair) follow(t *testing.T, what string) {
	t.Helper()
	for ; p.followed < len(p.tap.recs); p.followed++ {
		rec := p.tap.recs[p.followed]
		res, err := p.standby.Follow(rec.Entry, rec.Show)
		if err != nil {
			t.Fatalf("%s: follow entry %d (%s): %v", what, rec.Entry.Answer.Seq, rec.Entry.Command.Type, err)
		}
		if res.Answer != rec.Entry.Answer {
			t.Fatalf("%s: follow answered %+v, the primary %+v", what, res.Answer, rec.Entry.Answer)
		}
		if !reflect.DeepEqual(res.Snapshot.State, rec.State.Clone()) {
			t.Fatalf("%s: entry %d:\nstandby %+v\nprimary %+v", what, rec.Entry.Answer.Seq, res.Snapshot.State, rec.State)
		}
	}
	ps, ss := p.primary.Snapshot(), p.standby.Snapshot()
	if !reflect.DeepEqual(ps.State, ss.State) || !reflect.DeepEqual(ps.Show, ss.Show) {
		t.Fatalf("%s: standby\n%+v\nprimary\n%+v", what, ss.State, ps.State)
	}
}

func TestFollowMirrorsEveryKindOfChange(t *testing.T) {
	p := newPair(t)
	twoButtons := testShow(t)
	twoButtons.Launch.RequiredPresses = 2
	twoButtons.Segments[1].DurationSec = 120

	exec := func(c controller.Command) func(*testing.T) {
		return func(t *testing.T) {
			if _, err := p.primary.Execute(c, operator); err != nil {
				t.Fatalf("%s: %v", c.Type, err)
			}
		}
	}
	expireAfter := func(d time.Duration) func(*testing.T) {
		return func(t *testing.T) {
			p.pclock.Advance(d)
			if ok, err := p.primary.Expire(); !ok || err != nil {
				t.Fatalf("expire after %s: %v %v", d, ok, err)
			}
		}
	}
	button := controller.Actor{Role: "button", Name: "nút"}
	steps := []struct {
		name string
		do   func(*testing.T)
	}{
		{"start", exec(cmd(controller.CmdStart))},
		{"pause", exec(cmd(controller.CmdPause))},
		{"resume", exec(cmd(controller.CmdResume))},
		{"add time", exec(controller.Command{Type: controller.CmdAddTime, Seconds: 30, ID: "mc-add"})},
		{"hold at zero", expireAfter(95 * time.Second)},
		{"message", exec(controller.Command{Type: controller.CmdMessage, Text: "  Xin mời đại biểu  ", Blink: true})},
		{"clear message", exec(cmd(controller.CmdClearMsg))},
		{"blackout on", exec(controller.Command{Type: controller.CmdBlackout, On: on(true)})},
		{"blackout off", exec(controller.Command{Type: controller.CmdBlackout, On: on(false)})},
		{"next", exec(cmd(controller.CmdNext))},
		{"previous", exec(cmd(controller.CmdPrevious))},
		{"goto", exec(controller.Command{Type: controller.CmdGoto, Segment: "video"})},
		{"advance at zero", expireAfter(31 * time.Second)},
		{"reset timer", exec(cmd(controller.CmdResetTimer))},
		{"start again", exec(cmd(controller.CmdStart))},
		{"replace show while running", func(t *testing.T) {
			if _, err := p.primary.ReplaceShow(twoButtons, true, operator); err != nil {
				t.Fatal(err)
			}
		}},
		{"rehearsal", exec(controller.Command{Type: controller.CmdRehearsal, On: on(true)})},
		{"arm", exec(cmd(controller.CmdArm))},
		{"disarm", exec(cmd(controller.CmdDisarm))},
		{"arm again", exec(cmd(controller.CmdArm))},
		{"first press", func(t *testing.T) {
			at := controller.UnixMs(p.pclock.Now()) - 40
			c := controller.Command{Type: controller.CmdPress, Button: "A", Name: "Nút A", PressID: "a1", PressedAt: at}
			if r, err := p.primary.Execute(c, button); err != nil || r.Answer.Outcome != controller.OutcomeCounted {
				t.Fatalf("first press: %+v %v", r.Answer, err)
			}
		}},
		{"second press fires", func(t *testing.T) {
			c := controller.Command{Type: controller.CmdPress, Button: "B", Name: "Nút B", PressID: "b1"}
			if r, err := p.primary.Execute(c, button); err != nil || r.Answer.Outcome != controller.OutcomeFired {
				t.Fatalf("second press: %+v %v", r.Answer, err)
			}
		}},
		{"reset launch", exec(cmd(controller.CmdResetLaunch))},
		{"arm for the backup fire", exec(cmd(controller.CmdArm))},
		{"backup fire", exec(controller.Command{Type: controller.CmdFire, ID: "fire-1"})},
		{"goto the end", exec(controller.Command{Type: controller.CmdGoto, Segment: "end"})},
	}
	for _, s := range steps {
		// Move the clock by an odd number of nanoseconds: the engine
		// decides on whole milliseconds, so the standby re-applying at
		// entry.At gets the same state bit for bit.
		p.pclock.Advance(1234567891 * time.Nanosecond)
		s.do(t)
		p.follow(t, s.name)
	}
	got, want := p.standby.Snapshot().State, p.primary.Snapshot().State
	if want.Launch.Phase != controller.LaunchFired || got.Launch.FireID != want.Launch.FireID || got.ShowRev != 2 {
		t.Fatalf("end: standby launch %+v rev %d, primary launch %+v", got.Launch, got.ShowRev, want.Launch)
	}
	// A retry reaching the standby after a takeover gets the primary's answer.
	var first controller.Answer
	for _, rec := range p.tap.recs {
		if rec.Entry.Command.ID == "fire-1" {
			first = rec.Entry.Answer
		}
	}
	p.standby.SetPrimary(true)
	r, err := p.standby.Execute(controller.Command{Type: controller.CmdFire, ID: "fire-1"}, operator)
	if err != nil || r.Answer != first || first.Outcome != controller.OutcomeFired {
		t.Fatalf("retry of fire-1 on the new primary: %+v %v", r.Answer, err)
	}
}

func TestFollowRefusesWhatItCannotApply(t *testing.T) {
	p := newPair(t)
	for _, c := range []controller.Command{cmd(controller.CmdStart), cmd(controller.CmdNext), {Type: controller.CmdAddTime, Seconds: 60}} {
		p.pclock.Advance(time.Second)
		if _, err := p.primary.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	n := len(p.tap.recs)
	start, next, add := p.tap.recs[n-3], p.tap.recs[n-2], p.tap.recs[n-1]
	if _, err := p.standby.Follow(start.Entry, nil); err != nil {
		t.Fatal(err)
	}

	tampered := func(e controller.Entry, f func(*controller.Entry)) controller.Entry {
		f(&e)
		return e
	}
	tests := []struct {
		name  string
		entry controller.Entry
		show  *controller.Show
		want  error // nil: any error
	}{
		{"already applied", start.Entry, nil, controller.ErrApplied},
		{"a gap", add.Entry, nil, controller.ErrGap},
		{"tampered digest", tampered(next.Entry, func(e *controller.Entry) { e.Digest = "00112233445566778899aabbccddeeff" }), nil, controller.ErrDiverged},
		{"no digest", tampered(next.Entry, func(e *controller.Entry) { e.Digest = "" }), nil, controller.ErrDiverged},
		{"tampered command", tampered(next.Entry, func(e *controller.Entry) { e.Command = controller.Command{Type: controller.CmdGoto, Segment: "video"} }), nil, controller.ErrDiverged},
		{"tampered time", tampered(next.Entry, func(e *controller.Entry) { e.At += 1 }), nil, controller.ErrDiverged},
		{"tampered outcome", tampered(next.Entry, func(e *controller.Entry) { e.Answer.Outcome = controller.OutcomeFired }), nil, controller.ErrDiverged},
		{"refused here", tampered(next.Entry, func(e *controller.Entry) { e.Command = cmd(controller.CmdResume) }), nil, controller.ErrDiverged},
		{"a refusal", tampered(next.Entry, func(e *controller.Entry) { e.Answer.Error = controller.Errorf(controller.ECONFLICT, "x") }), nil, controller.ErrNotFollowable},
		{"a restore", tampered(next.Entry, func(e *controller.Entry) { e.Command = controller.Command{Type: controller.CmdRestore} }), testShow(t), controller.ErrNotFollowable},
		{"a default show", tampered(next.Entry, func(e *controller.Entry) { e.Command = controller.Command{Type: controller.CmdLoadShow} }), testShow(t), controller.ErrNotFollowable},
		{"replace-show without the show", tampered(next.Entry, func(e *controller.Entry) { e.Command = controller.Command{Type: controller.CmdReplaceShow} }), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := p.standby.Snapshot()
			journal := len(p.sstore.journal)
			_, err := p.standby.Follow(tt.entry, tt.show)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Follow: %v, want %v", err, tt.want)
			}
			after := p.standby.Snapshot()
			if !reflect.DeepEqual(before, after) || len(p.sstore.journal) != journal {
				t.Fatalf("a refused entry changed the standby: state %+v → %+v, journal %d → %d", before.State, after.State, journal, len(p.sstore.journal))
			}
		})
	}
	// The entries as sent still apply in order.
	for _, rec := range []controller.Record{next, add} {
		if _, err := p.standby.Follow(rec.Entry, rec.Show); err != nil {
			t.Fatalf("entry %d: %v", rec.Entry.Answer.Seq, err)
		}
	}
	if got, want := p.standby.Snapshot().State, p.primary.Snapshot().State; !reflect.DeepEqual(got, want) {
		t.Fatalf("standby %+v\nprimary %+v", got, want)
	}
}

func TestStandbyRefusesCommands(t *testing.T) {
	p := newPair(t)
	if _, err := p.primary.Execute(controller.Command{Type: controller.CmdAddTime, Seconds: 60, ID: "mc-1"}, operator); err != nil {
		t.Fatal(err)
	}
	p.pclock.Advance(time.Second)
	if _, err := p.primary.Execute(controller.Command{Type: controller.CmdStart, ID: "mc-2"}, operator); err != nil {
		t.Fatal(err)
	}
	p.follow(t, "add time and start")
	first := p.tap.recs[len(p.tap.recs)-2].Entry.Answer
	if p.standby.Primary() || !p.primary.Primary() {
		t.Fatal("roles are not as set")
	}

	before := p.standby.Snapshot()
	journal := len(p.sstore.journal)
	if r, err := p.standby.Execute(controller.Command{Type: controller.CmdAddTime, Seconds: 60, ID: "mc-1"}, operator); err != nil || r.Answer != first {
		t.Fatalf("retry of mc-1 on the standby: %+v %v, want the primary's answer %+v", r.Answer, err, first)
	}
	for _, c := range []controller.Command{cmd(controller.CmdPause), {Type: controller.CmdNext, ID: "mc-3"}} {
		r, err := p.standby.Execute(c, operator)
		if controller.ErrorCode(err) != controller.ENOTPRIMARY || r.Answer.Error == nil || r.Answer.Error.Code != controller.ENOTPRIMARY {
			t.Fatalf("%s on the standby: %+v %v, want not_primary", c.Type, r.Answer, err)
		}
	}
	if _, err := p.standby.ReplaceShow(testShow(t), true, operator); controller.ErrorCode(err) != controller.ENOTPRIMARY {
		t.Fatalf("replace show on the standby: %v, want not_primary", err)
	}
	if n := len(p.sstore.journal) - journal; n != 3 {
		t.Fatalf("%d refusals journalled on the standby, want 3", n)
	}
	p.sclock.Advance(3 * time.Hour) // the standby's own clock passes every zero
	if ok, err := p.standby.Expire(); ok || err != nil {
		t.Fatalf("Expire on the standby: %v %v, want nothing", ok, err)
	}
	if after := p.standby.Snapshot(); !reflect.DeepEqual(before, after) {
		t.Fatalf("the standby changed: %+v → %+v", before.State, after.State)
	}

	// Follow and Restore are a standby's.
	if _, err := p.primary.Follow(p.tap.recs[len(p.tap.recs)-1].Entry, nil); !errors.Is(err, controller.ErrPrimary) {
		t.Fatalf("Follow on the primary: %v", err)
	}
	if _, err := p.primary.Restore(before.Show, before.State, 1, operator, ""); !errors.Is(err, controller.ErrPrimary) {
		t.Fatalf("Restore on the primary: %v", err)
	}

	// After a takeover, the command refused as not_primary is decided.
	p.standby.SetPrimary(true)
	if r, err := p.standby.Execute(controller.Command{Type: controller.CmdNext, ID: "mc-3"}, operator); err != nil || r.Answer.Seq != before.State.Seq+1 {
		t.Fatalf("mc-3 on the new primary: %+v %v, want it applied", r.Answer, err)
	}
}

func TestRestoreThenFollow(t *testing.T) {
	p := newPair(t)
	for _, c := range []controller.Command{cmd(controller.CmdStart), cmd(controller.CmdNext), cmd(controller.CmdArm)} {
		p.pclock.Advance(time.Second)
		if _, err := p.primary.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	p.follow(t, "three commands") // the standby is at seq 3
	// Restore forward (a snapshot after a gap), then back (a snapshot of
	// a primary behind this standby): the snapshot is the truth.
	show := testShow(t)
	show.Title = "Lễ khác"
	ahead := p.primary.Snapshot().State
	ahead.Seq = 40
	behind := controller.NewState(7)
	behind.Seq, behind.Current = 2, 1
	for _, st := range []controller.State{ahead, behind} {
		r, err := p.standby.Restore(show, st, 99, controller.Actor{Role: "system"}, "")
		if err != nil {
			t.Fatal(err)
		}
		got := p.standby.Snapshot()
		if r.Answer.Seq != st.Seq || got.State.Seq != st.Seq || got.Show.Title != "Lễ khác" || controller.Digest(got.State) != controller.Digest(st) {
			t.Fatalf("after restore at %d: answer %+v, state %+v", st.Seq, r.Answer, got.State)
		}
		e := p.sstore.journal[len(p.sstore.journal)-1]
		if e.Command.Type != controller.CmdRestore || e.At != 99 || e.Digest != controller.Digest(st) || p.sstore.saved.Show.Title != "Lễ khác" {
			t.Fatalf("restore journalled as %+v", e)
		}
	}
	bad := []struct {
		name string
		show *controller.Show
		st   controller.State
	}{
		{"no show", nil, behind},
		{"invalid show", &controller.Show{Title: "x"}, behind},
		{"segment out of range", show, func() controller.State { s := behind; s.Current = len(show.Segments); return s }()},
	}
	for _, b := range bad {
		if _, err := p.standby.Restore(b.show, b.st, 1, operator, ""); err == nil {
			t.Fatalf("restore with %s was taken", b.name)
		}
	}

	// Restore from the primary's snapshot, then follow its next entries.
	snap := p.primary.Snapshot()
	if _, err := p.standby.Restore(snap.Show, snap.State, 100, controller.Actor{Role: "system"}, ""); err != nil {
		t.Fatal(err)
	}
	p.followed = len(p.tap.recs)
	for _, c := range []controller.Command{cmd(controller.CmdFire), cmd(controller.CmdPause)} {
		p.pclock.Advance(time.Second)
		if _, err := p.primary.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	p.follow(t, "after restore")
}

// TestExpiryLoopWaitsOnAStandby: a standby's loop sets no timer for a
// zero it does not decide, and the new primary decides it at once.
func TestExpiryLoopWaitsOnAStandby(t *testing.T) {
	clock := newFakeClock()
	e := openEngine(t, newMemStore(), clock)
	for _, c := range []controller.Command{{Type: controller.CmdGoto, Segment: "video"}, cmd(controller.CmdStart)} {
		if _, err := e.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	e.SetPrimary(false)
	published := make(signal, 64)
	e.Subscribe(published)
	idle := clock.Now().Add(time.Hour)
	runLoop(t, e)
	clock.waitTimer(t, idle) // the loop only sleeps, though the video runs
	clock.Advance(31 * time.Second)
	if got := e.Snapshot().State.Current; got != 2 {
		t.Fatalf("the standby left the video itself: current %d", got)
	}
	e.SetPrimary(true)
	published.waitCurrent(t, 3)
}
