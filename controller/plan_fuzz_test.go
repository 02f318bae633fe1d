package controller_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// FuzzPlanAt runs MC commands at random instants on a show of random
// durations and start time, and checks the plan's invariants: planned
// starts follow the durations, the segments left follow each other by
// their durations, bringing a plan up to date at its own instant changes
// nothing, the drift never falls as time passes, and its words agree with
// its sign.
func FuzzPlanAt(f *testing.F) {
	f.Add(uint8(7), uint8(30), []byte{10, 200, 30}, []byte{0, 1, 2, 3, 4, 5, 6}, uint32(3600), uint32(600))
	f.Add(uint8(23), uint8(59), []byte{1}, []byte{0, 0, 1}, uint32(0), uint32(86400))
	f.Fuzz(func(t *testing.T, h, m uint8, durs, cmds []byte, offset, later uint32) {
		if len(durs) == 0 || len(durs) > 20 || len(cmds) > 40 {
			return
		}
		start := fmt.Sprintf("%02d:%02d", h%24, m%60)
		show := &controller.Show{Format: controller.ShowFormat, Version: controller.ShowVersion, Title: "Lễ", StartTime: start}
		for i, d := range durs {
			show.Segments = append(show.Segments, controller.Segment{ID: fmt.Sprintf("s%d", i), Title: "Mục", Kind: controller.KindSpeech, DurationSec: 30 * (int(d) + 1)})
		}
		show.Normalize()
		if err := show.Validate(); err != nil {
			t.Fatalf("show: %v", err)
		}
		types := []controller.CommandType{controller.CmdStart, controller.CmdNext, controller.CmdPrevious, controller.CmdPause,
			controller.CmdResume, controller.CmdAddTime, controller.CmdResetTimer}
		now := time.Date(2026, 12, 3, 0, 0, 0, 0, ict).Add(time.Duration(offset%172800) * time.Second)
		st := controller.NewState(1)
		st.Timer = controller.Timer{Phase: controller.TimerReady, DurationMs: int64(show.Segments[0].DurationSec) * 1000}
		for _, c := range cmds {
			now = now.Add(time.Duration(c) * 7 * time.Second)
			cmd := controller.Command{Type: types[int(c)%len(types)], Seconds: 60 * (int(c%5) - 2)}
			if next, _, err := controller.Apply(show, st, cmd, now); err == nil {
				st = next
			}
		}
		p, ok := controller.PlanAt(show, st, now)
		if !ok {
			t.Fatal("no plan with a start time")
		}
		n := len(show.Segments)
		if len(p.Starts) != n || len(p.Projected) != n || p.Current != st.Current {
			t.Fatalf("plan of %d/%d segments, current %d (state %d)", len(p.Starts), len(p.Projected), p.Current, st.Current)
		}
		if d := time.UnixMilli(p.Starts[0]).Sub(now); d > 13*time.Hour || d < -13*time.Hour {
			t.Fatalf("planned start %v from now", d)
		}
		for i := 1; i < n; i++ {
			dur := int64(show.Segments[i-1].DurationSec) * 1000
			if p.Starts[i]-p.Starts[i-1] != dur {
				t.Fatalf("planned start %d is %d ms after the one before, its duration %d", i, p.Starts[i]-p.Starts[i-1], dur)
			}
			if i > p.Current+1 && p.Projected[i]-p.Projected[i-1] != dur {
				t.Fatalf("projected start %d is %d ms after the one before, its duration %d", i, p.Projected[i]-p.Projected[i-1], dur)
			}
		}
		if again := p.Update(now); again.DriftMs != p.DriftMs {
			t.Fatalf("brought up to date at its own instant: drift %d, was %d", again.DriftMs, p.DriftMs)
		}
		after := p.Update(now.Add(time.Duration(later) * time.Millisecond))
		if after.DriftMs < p.DriftMs {
			t.Fatalf("the drift fell from %d to %d as time passed", p.DriftMs, after.DriftMs)
		}
		d := controller.DriftOf(after.DriftMs)
		switch {
		case d.Status == controller.OnTime && (d.Minutes != 0 || after.DriftMs >= 60_000 || after.DriftMs <= -60_000),
			d.Status == controller.Late && (after.DriftMs < 60_000 || d.Minutes < 1),
			d.Status == controller.Early && (after.DriftMs > -60_000 || d.Minutes < 1):
			t.Fatalf("drift %d ms reads %+v", after.DriftMs, d)
		}
	})
}
