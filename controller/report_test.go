package controller_test

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// reportEngine runs a script of commands on an engine with a fake clock and
// returns the report at the end.
func reportEngine(t *testing.T, steps []step, tail time.Duration) controller.Report {
	t.Helper()
	clock, store := newFakeClock(), newMemStore()
	e, err := controller.Open(controller.Config{Store: store, Clock: clock, DefaultShow: testShow(t)})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		clock.Advance(s.after)
		_, err := e.Execute(s.cmd, controller.Actor{Role: "operator", Name: "MC"})
		if got := controller.ErrorCode(err); got != s.code {
			t.Fatalf("step %d %s: code %q, want %q (%v)", i, s.cmd.Type, got, s.code, err)
		}
	}
	clock.Advance(tail)
	r, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	if r.GeneratedAt != clock.Now().UnixMilli() {
		t.Fatalf("report generated at %d, want the engine's now %d", r.GeneratedAt, clock.Now().UnixMilli())
	}
	return r
}

// laterStore is a store whose journal holds one more launch entry than the
// state the engine has: a command committed while the report was read.
type laterStore struct {
	*memStore
	later controller.Entry
}

func (s *laterStore) Entries(fn func(controller.Entry) error) error {
	if err := s.memStore.Entries(fn); err != nil {
		return err
	}
	return fn(s.later)
}

func TestEngineReportStopsAtItsSnapshot(t *testing.T) {
	clock, store := newFakeClock(), newMemStore()
	ls := &laterStore{memStore: store}
	e, err := controller.Open(controller.Config{Store: ls, Clock: clock, DefaultShow: testShow(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []controller.Command{cmd(controller.CmdArm), cmd(controller.CmdNext), cmd(controller.CmdFire)} {
		if _, err := e.Execute(c, operator); err != nil {
			t.Fatal(err)
		}
	}
	seq := e.Snapshot().State.Seq
	ls.later = controller.Entry{At: clock.Now().UnixMilli(), Command: cmd(controller.CmdFire),
		Answer: controller.Answer{Seq: seq + 1, Error: controller.Errorf(controller.EDUPLICATE, "already fired")}}
	r, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	if l := r.Launch; len(l.Triggers) != 1 || l.Duplicates != 0 || l.Phase != controller.LaunchFired {
		t.Errorf("the report counts an entry after its snapshot: %+v", l)
	}
}

func reportPress(button, id string) controller.Command {
	return controller.Command{Type: controller.CmdPress, Button: button, Name: "Nút " + button, PressID: id}
}

func ms(d time.Duration) int64 { return t0.Add(d).UnixMilli() }

func TestBuildReport(t *testing.T) {
	r := reportEngine(t, []step{
		{0, controller.Command{Type: controller.CmdStart}, "", ""},               // intro at t0
		{50 * time.Second, controller.Command{Type: controller.CmdNext}, "", ""}, // talk at +50s
		{20 * time.Second, controller.Command{Type: controller.CmdAddTime, Seconds: 30}, "", ""},
		{120 * time.Second, controller.Command{Type: controller.CmdNext}, "", ""}, // talk ran 140s; video at +190s
		{5 * time.Second, reportPress("b1", "p0"), controller.ENOTARMED, ""},      // too early
		{35 * time.Second, controller.Command{Type: controller.CmdArm}, "", ""},   // at +230s; video advanced to launch at +220s
		{5 * time.Second, reportPress("b1", "p1"), "", ""},                        // fires at +235s
		{time.Second, reportPress("b2", "p2"), controller.EDUPLICATE, ""},
		{time.Second, controller.Command{Type: controller.CmdFire}, controller.EDUPLICATE, ""},
	}, 13*time.Second) // report at +250s: launch has run 30s

	want := []struct {
		id                        string
		plannedStart, actualStart int64
		planned, added, actual    int64
		over                      int64
		status                    string
	}{
		{"intro", 0, ms(0), 60_000, 0, 50_000, -10_000, controller.RunDone},
		{"talk", ms(50 * time.Second), ms(50 * time.Second), 100_000, 30_000, 140_000, 10_000, controller.RunDone},
		{"video", ms(150 * time.Second), ms(190 * time.Second), 30_000, 0, 30_000, 0, controller.RunDone},
		{"launch", ms(180 * time.Second), ms(220 * time.Second), 60_000, 0, 30_000, -30_000, controller.RunRunning},
		{"end", ms(240 * time.Second), 0, 30_000, 0, 0, 0, controller.RunNotStarted},
	}
	if len(r.Segments) != len(want) {
		t.Fatalf("%d segments, want %d", len(r.Segments), len(want))
	}
	for i, w := range want {
		g := r.Segments[i]
		if g.ID != w.id || g.PlannedStart != w.plannedStart || g.ActualStart != w.actualStart ||
			g.PlannedMs != w.planned || g.AddedMs != w.added || g.ActualMs != w.actual || g.OverMs != w.over || g.Status != w.status {
			t.Errorf("segment %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	l := r.Launch
	if l.Phase != controller.LaunchFired || l.Source != "button:b1" || l.FiredAt != ms(235*time.Second) ||
		l.FireAt != ms(235*time.Second+250*time.Millisecond) || l.ArmedAt != ms(230*time.Second) {
		t.Errorf("launch: %+v", l)
	}
	if l.Duplicates != 2 || l.Refused != 1 || len(l.Triggers) != 4 || len(l.Presses) != 1 {
		t.Errorf("launch counts: duplicates %d refused %d triggers %d presses %d", l.Duplicates, l.Refused, len(l.Triggers), len(l.Presses))
	}
	outcomes := []string{controller.ENOTARMED, controller.OutcomeFired, controller.EDUPLICATE, controller.EDUPLICATE}
	for i, tr := range l.Triggers {
		if tr.Outcome != outcomes[i] {
			t.Errorf("trigger %d: outcome %q, want %q", i, tr.Outcome, outcomes[i])
		}
	}
	if l.Triggers[1].Name != "Nút b1" || l.Triggers[1].Button != "b1" {
		t.Errorf("trigger names: %+v", l.Triggers[1])
	}
}

func TestBuildReportPausedAndReset(t *testing.T) {
	r := reportEngine(t, []step{
		{0, controller.Command{Type: controller.CmdRehearsal, On: on(true)}, "", ""},
		{0, controller.Command{Type: controller.CmdNext}, "", ""},
		{0, controller.Command{Type: controller.CmdStart}, "", ""}, // talk at t0
		{10 * time.Second, controller.Command{Type: controller.CmdArm}, "", ""},
		{0, controller.Command{Type: controller.CmdFire}, "", ""},
		{0, controller.Command{Type: controller.CmdFire}, controller.EDUPLICATE, ""},
		{0, controller.Command{Type: controller.CmdResetLaunch}, "", ""},
		{5 * time.Second, controller.Command{Type: controller.CmdPause}, "", ""},
	}, time.Minute)
	talk := r.Segments[1]
	if talk.Status != controller.RunPaused || talk.ActualMs != 15_000 || talk.PlannedStart != t0.UnixMilli() {
		t.Errorf("talk: %+v", talk)
	}
	if r.Segments[0].Status != controller.RunNotStarted || r.Segments[0].PlannedStart != 0 {
		t.Errorf("intro never ran: %+v", r.Segments[0])
	}
	if l := r.Launch; l.Phase != controller.LaunchIdle || len(l.Triggers) != 0 || l.Duplicates != 0 {
		t.Errorf("after a reset the launch report starts afresh: %+v", l)
	}
	if !r.Rehearsal {
		t.Error("rehearsal not reported")
	}
}
