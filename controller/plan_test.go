package controller_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/phatdong/phatdong/controller"
)

// ict is the hall's time zone (Vietnam, UTC+7).
var ict = time.FixedZone("ICT", 7*3600)

// planShow starts at 07:30: welcome 30 min (hold), music 15, speech 10,
// closing 5.
func planShow(t testing.TB, start string) *controller.Show {
	t.Helper()
	s, err := controller.ParseShow([]byte(`{
	  "format": "phatdong-show", "version": 1, "title": "Lễ thử", "startTime": "` + start + `",
	  "segments": [
	    {"id": "don", "title": "Đón tiếp", "kind": "welcome", "durationSec": 1800, "onZero": "hold"},
	    {"id": "nhac", "title": "Văn nghệ", "kind": "performance", "durationSec": 900},
	    {"id": "noi", "title": "Phát biểu", "kind": "speech", "durationSec": 600},
	    {"id": "het", "title": "Kết thúc", "kind": "closing", "durationSec": 300, "onZero": "hold"}
	  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// at is a time of day on the show's day in the hall's zone.
func at(h, m, s int) time.Time { return time.Date(2026, 12, 3, h, m, s, 0, ict) }

func TestPlanAtDriftAndProjection(t *testing.T) {
	type act struct {
		at  time.Time
		cmd controller.CommandType
		sec int
	}
	tests := []struct {
		name    string
		acts    []act
		now     time.Time
		drift   time.Duration
		want    controller.Drift
		current int
		// projected starts of the segments from the current one on, as
		// times of day "HH:MM:SS".
		projected []string
	}{
		{"before the show", nil, at(7, 0, 0), 0, controller.Drift{Status: controller.OnTime},
			0, []string{"07:30:00", "08:00:00", "08:15:00", "08:25:00"}},
		{"not started, 3 min past the start", nil, at(7, 33, 0), 3 * time.Minute, controller.Drift{Status: controller.Late, Minutes: 3},
			0, []string{"07:33:00", "08:03:00", "08:18:00", "08:28:00"}},
		{"started 2 min early", []act{{at(7, 28, 0), controller.CmdStart, 0}}, at(7, 40, 0), -2 * time.Minute,
			controller.Drift{Status: controller.Early, Minutes: 2}, 0, []string{"07:28:00", "07:58:00", "08:13:00", "08:23:00"}},
		{"started 59 s late is on time", []act{{at(7, 30, 59), controller.CmdStart, 0}}, at(7, 31, 0), 59 * time.Second,
			controller.Drift{Status: controller.OnTime}, 0, []string{"07:30:59", "08:00:59", "08:15:59", "08:25:59"}},
		{"one minute late is late", []act{{at(7, 31, 0), controller.CmdStart, 0}}, at(7, 31, 0), time.Minute,
			controller.Drift{Status: controller.Late, Minutes: 1}, 0, nil},
		{"1 min 29 s rounds down", []act{{at(7, 31, 29), controller.CmdStart, 0}}, at(7, 40, 0), 89 * time.Second,
			controller.Drift{Status: controller.Late, Minutes: 1}, 0, nil},
		{"1 min 30 s rounds up", []act{{at(7, 31, 30), controller.CmdStart, 0}}, at(7, 40, 0), 90 * time.Second,
			controller.Drift{Status: controller.Late, Minutes: 2}, 0, nil},
		{"held at zero, waiting", []act{{at(7, 30, 0), controller.CmdStart, 0}}, at(8, 4, 0), 4 * time.Minute,
			controller.Drift{Status: controller.Late, Minutes: 4}, 0, []string{"07:30:00", "08:04:00", "08:19:00", "08:29:00"}},
		{"next, early", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(7, 55, 0), controller.CmdNext, 0}}, at(8, 0, 0),
			-5 * time.Minute, controller.Drift{Status: controller.Early, Minutes: 5}, 1, []string{"07:55:00", "08:10:00", "08:20:00"}},
		{"time added", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(8, 0, 0), controller.CmdNext, 0}, {at(8, 5, 0), controller.CmdAddTime, 180}},
			at(8, 6, 0), 3 * time.Minute, controller.Drift{Status: controller.Late, Minutes: 3}, 1, []string{"08:00:00", "08:18:00", "08:28:00"}},
		{"overtime grows", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(8, 0, 0), controller.CmdNext, 0}}, at(8, 22, 10),
			7*time.Minute + 10*time.Second, controller.Drift{Status: controller.Late, Minutes: 7}, 1, []string{"08:00:00", "08:22:10", "08:32:10"}},
		{"paused", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(8, 0, 0), controller.CmdNext, 0}, {at(8, 5, 0), controller.CmdPause, 0}},
			at(8, 11, 0), 6 * time.Minute, controller.Drift{Status: controller.Late, Minutes: 6}, 1, []string{"08:00:00", "08:21:00", "08:31:00"}},
		{"moved on while paused: ready on time", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(7, 50, 0), controller.CmdPause, 0}, {at(7, 51, 0), controller.CmdNext, 0}},
			at(7, 52, 0), 0, controller.Drift{Status: controller.OnTime}, 1, []string{"08:00:00", "08:15:00", "08:25:00"}},
		{"last segment held", []act{{at(7, 30, 0), controller.CmdStart, 0}, {at(8, 0, 0), controller.CmdGoto, 3}}, at(8, 40, 0),
			10 * time.Minute, controller.Drift{Status: controller.Late, Minutes: 10}, 3, []string{"08:00:00"}},
	}
	ids := []string{"don", "nhac", "noi", "het"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			show := planShow(t, "07:30")
			clock := clockwork.NewFakeClockAt(at(6, 0, 0))
			st := controller.NewState(1)
			st.Timer = controller.Timer{Phase: controller.TimerReady, DurationMs: 1_800_000}
			for _, a := range tc.acts {
				clock.Advance(a.at.Sub(clock.Now()))
				cmd := controller.Command{Type: a.cmd, Seconds: a.sec}
				if a.cmd == controller.CmdGoto {
					cmd = controller.Command{Type: a.cmd, Segment: ids[a.sec]}
				}
				next, _, err := controller.Apply(show, st, cmd, clock.Now())
				if err != nil {
					t.Fatalf("%s at %s: %v", a.cmd, clock.Now().Format(time.TimeOnly), err)
				}
				st = next
			}
			clock.Advance(tc.now.Sub(clock.Now()))
			p, ok := controller.PlanAt(show, st, clock.Now())
			if !ok {
				t.Fatal("no plan for a show with a start time")
			}
			if got := time.Duration(p.DriftMs) * time.Millisecond; got != tc.drift {
				t.Errorf("drift %v, want %v", got, tc.drift)
			}
			if got := controller.DriftOf(p.DriftMs); got != tc.want {
				t.Errorf("drift reads %+v, want %+v", got, tc.want)
			}
			if p.Current != tc.current {
				t.Errorf("current %d, want %d", p.Current, tc.current)
			}
			for i, want := range tc.projected {
				if got := time.UnixMilli(p.Projected[p.Current+i]).In(ict).Format(time.TimeOnly); got != want {
					t.Errorf("projected start of segment %d: %s, want %s", p.Current+i, got, want)
				}
			}
			for i, want := range []string{"07:30:00", "08:00:00", "08:15:00", "08:25:00"} {
				if got := time.UnixMilli(p.Starts[i]).In(ict).Format(time.TimeOnly); got != want {
					t.Errorf("planned start of segment %d: %s, want %s", i, got, want)
				}
			}
			if again := p.Update(clock.Now()); again.DriftMs != p.DriftMs {
				t.Errorf("Update(now) drift %d, PlanAt %d", again.DriftMs, p.DriftMs)
			}
		})
	}
}

func TestPlanAtPastSegmentsKeepTheirActualStarts(t *testing.T) {
	show := planShow(t, "07:30")
	st := controller.NewState(1)
	st.Timer = controller.Timer{Phase: controller.TimerReady, DurationMs: 1_800_000}
	for _, a := range []struct {
		at  time.Time
		cmd controller.CommandType
	}{{at(7, 31, 0), controller.CmdStart}, {at(8, 2, 0), controller.CmdNext}, {at(8, 16, 0), controller.CmdNext}} {
		next, _, err := controller.Apply(show, st, controller.Command{Type: a.cmd}, a.at)
		if err != nil {
			t.Fatal(err)
		}
		st = next
	}
	p, _ := controller.PlanAt(show, st, at(8, 20, 0))
	for i, want := range []string{"07:31:00", "08:02:00", "08:16:00", "08:26:00"} {
		if got := time.UnixMilli(p.Projected[i]).In(ict).Format(time.TimeOnly); got != want {
			t.Errorf("segment %d: %s, want %s", i, got, want)
		}
	}
	if d := controller.DriftOf(p.DriftMs); d.Label() != "Đang trễ 1 phút" {
		t.Errorf("label %q", d.Label())
	}
}

func TestPlanAtPicksTheNearestDay(t *testing.T) {
	tests := []struct {
		start string
		now   time.Time
		want  time.Time
	}{
		{"07:30", at(7, 0, 0), at(7, 30, 0)},
		{"07:30", at(15, 0, 0), at(7, 30, 0)},
		{"07:30", at(20, 0, 0), at(7, 30, 0).AddDate(0, 0, 1)},
		{"23:30", at(0, 10, 0), at(23, 30, 0).AddDate(0, 0, -1)},
		{"00:00", at(23, 50, 0), at(0, 0, 0).AddDate(0, 0, 1)},
	}
	for _, tc := range tests {
		st := controller.NewState(1)
		p, ok := controller.PlanAt(planShow(t, tc.start), st, tc.now)
		if !ok || p.Starts[0] != tc.want.UnixMilli() {
			t.Errorf("start %s at %s: planned %s, want %s", tc.start, tc.now, time.UnixMilli(p.Starts[0]).In(ict), tc.want)
		}
	}
}

func TestPlanAtWithoutStartTime(t *testing.T) {
	show := planShow(t, "07:30")
	show.StartTime = ""
	if _, ok := controller.PlanAt(show, controller.NewState(1), at(7, 0, 0)); ok {
		t.Fatal("a plan for a show without a start time")
	}
}

func TestShowStartTimeIsValidated(t *testing.T) {
	for _, bad := range []string{"7:30", "24:00", "07:60", "07h30", "07:30:00", "ab:cd"} {
		_, err := controller.ParseShow([]byte(`{"format":"phatdong-show","version":1,"title":"x","startTime":"` + bad + `",
		  "segments":[{"id":"a","title":"Một","durationSec":60}]}`))
		var e *controller.Error
		if !errors.As(err, &e) || e.Field != "startTime" {
			t.Errorf("%q: error %v, want one on startTime", bad, err)
		}
	}
	for _, good := range []string{"", "00:00", "07:30", " 23:59 "} {
		if _, err := controller.ParseShow([]byte(`{"format":"phatdong-show","version":1,"title":"x","startTime":"` + good + `",
		  "segments":[{"id":"a","title":"Một","durationSec":60}]}`)); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
	def, err := controller.DefaultShow()
	if err != nil || def.StartTime != "07:30" {
		t.Fatalf("default show starts at %q (%v), want 07:30", def.StartTime, err)
	}
}

func TestDriftLabels(t *testing.T) {
	tests := []struct {
		ms   int64
		want string
	}{
		{0, "Đúng giờ"}, {59_999, "Đúng giờ"}, {-59_999, "Đúng giờ"},
		{60_000, "Đang trễ 1 phút"}, {180_000, "Đang trễ 3 phút"}, {-120_000, "Sớm 2 phút"},
		{-149_999, "Sớm 2 phút"}, {-150_000, "Sớm 3 phút"},
	}
	for _, tc := range tests {
		if got := controller.DriftOf(tc.ms).Label(); got != tc.want {
			t.Errorf("%d ms: %q, want %q", tc.ms, got, tc.want)
		}
	}
}
