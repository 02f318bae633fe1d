package controller_test

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func testShow(t testing.TB) *controller.Show {
	t.Helper()
	s, err := controller.ParseShow([]byte(`{
	  "format": "phatdong-show", "version": 1, "title": "Lễ thử",
	  "launch": {"requiredPresses": 1, "leadMs": 250},
	  "segments": [
	    {"id": "intro", "title": "Đón tiếp", "kind": "welcome", "durationSec": 60, "onZero": "hold"},
	    {"id": "talk", "title": "Phát biểu", "kind": "speech", "durationSec": 100, "warnSec": 20, "dangerSec": 10},
	    {"id": "video", "title": "Phóng sự", "kind": "video", "durationSec": 30, "onZero": "advance"},
	    {"id": "launch", "title": "Bấm nút", "kind": "launch", "durationSec": 60},
	    {"id": "end", "title": "Kết thúc", "kind": "closing", "durationSec": 30, "onZero": "hold"}
	  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)

func on(b bool) *bool { return &b }

// step is one command, after an amount of time since the previous step.
type step struct {
	after time.Duration
	cmd   controller.Command
	code  string // expected error code, "" for accepted
	out   string // expected outcome, when set
}

func run(t *testing.T, show *controller.Show, steps []step) (controller.State, time.Time) {
	t.Helper()
	st := controller.NewState(1)
	st.Timer = controller.Timer{Phase: controller.TimerReady, DurationMs: int64(show.Segments[0].DurationSec) * 1000}
	now := t0
	for i, s := range steps {
		now = now.Add(s.after)
		cmd := s.cmd.Normalize()
		if err := cmd.Validate(); err != nil {
			if got := controller.ErrorCode(err); got != s.code {
				t.Fatalf("step %d %s: validate: code %q, want %q (%v)", i, cmd.Type, got, s.code, err)
			}
			continue
		}
		next, out, err := controller.Apply(show, st, cmd, now)
		if got := controller.ErrorCode(err); got != s.code {
			t.Fatalf("step %d %s: code %q, want %q (%v)", i, cmd.Type, got, s.code, err)
		}
		if err != nil {
			if next.Seq != st.Seq {
				t.Fatalf("step %d %s: refused command changed the sequence", i, cmd.Type)
			}
			continue
		}
		if next.Seq != st.Seq+1 {
			t.Fatalf("step %d %s: seq %d -> %d, want +1", i, cmd.Type, st.Seq, next.Seq)
		}
		if s.out != "" && out != s.out {
			t.Fatalf("step %d %s: outcome %q, want %q", i, cmd.Type, out, s.out)
		}
		st = next
	}
	return st, now
}

func cmd(typ controller.CommandType) controller.Command { return controller.Command{Type: typ} }

func TestApplyNavigation(t *testing.T) {
	show := testShow(t)
	tests := []struct {
		name    string
		steps   []step
		current string
		phase   controller.TimerPhase
	}{
		{"next moves on", []step{{cmd: cmd(controller.CmdNext)}}, "talk", controller.TimerReady},
		{"previous on the first is a conflict", []step{{cmd: cmd(controller.CmdPrevious), code: controller.ECONFLICT}}, "intro", controller.TimerReady},
		{"next on the last is a conflict", []step{
			{cmd: controller.Command{Type: controller.CmdGoto, Segment: "end"}},
			{cmd: cmd(controller.CmdNext), code: controller.ECONFLICT},
		}, "end", controller.TimerReady},
		{"goto unknown is not found", []step{{cmd: controller.Command{Type: controller.CmdGoto, Segment: "nope"}, code: controller.ENOTFOUND}}, "intro", controller.TimerReady},
		{"goto without segment is invalid", []step{{cmd: cmd(controller.CmdGoto), code: controller.EINVALID}}, "intro", controller.TimerReady},
		{"a running clock carries over to the next segment", []step{
			{cmd: cmd(controller.CmdStart)},
			{after: 5 * time.Second, cmd: cmd(controller.CmdNext)},
		}, "talk", controller.TimerRunning},
		{"a paused clock does not carry over", []step{
			{cmd: cmd(controller.CmdStart)},
			{cmd: cmd(controller.CmdPause)},
			{cmd: cmd(controller.CmdNext)},
		}, "talk", controller.TimerReady},
		{"pause when not running is a conflict", []step{{cmd: cmd(controller.CmdPause), code: controller.ECONFLICT}}, "intro", controller.TimerReady},
		{"resume when not paused is a conflict", []step{{cmd: cmd(controller.CmdStart)}, {cmd: cmd(controller.CmdResume), code: controller.ECONFLICT}}, "intro", controller.TimerRunning},
		{"start twice is a conflict", []step{{cmd: cmd(controller.CmdStart)}, {cmd: cmd(controller.CmdStart), code: controller.ECONFLICT}}, "intro", controller.TimerRunning},
		{"unknown type is invalid", []step{{cmd: cmd("jump"), code: controller.EINVALID}}, "intro", controller.TimerReady},
		{"expire is the server's own", []step{{cmd: cmd(controller.CmdExpire), code: controller.EFORBIDDEN}}, "intro", controller.TimerReady},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := run(t, show, tc.steps)
			if got := show.Segments[st.Current].ID; got != tc.current {
				t.Errorf("current = %q, want %q", got, tc.current)
			}
			if st.Timer.Phase != tc.phase {
				t.Errorf("timer phase = %q, want %q", st.Timer.Phase, tc.phase)
			}
		})
	}
}

func TestApplyTimer(t *testing.T) {
	show := testShow(t)
	talk := controller.Command{Type: controller.CmdGoto, Segment: "talk"}
	tests := []struct {
		name      string
		steps     []step
		remaining time.Duration // at the time of the last step plus `later`
		later     time.Duration
	}{
		{"ready clock shows the full duration", []step{{cmd: talk}}, 100 * time.Second, time.Hour},
		{"running clock counts down", []step{{cmd: talk}, {cmd: cmd(controller.CmdStart)}}, 60 * time.Second, 40 * time.Second},
		{"pause holds the time", []step{
			{cmd: talk}, {cmd: cmd(controller.CmdStart)},
			{after: 30 * time.Second, cmd: cmd(controller.CmdPause)},
		}, 70 * time.Second, 10 * time.Minute},
		{"resume continues without counting the pause", []step{
			{cmd: talk}, {cmd: cmd(controller.CmdStart)},
			{after: 30 * time.Second, cmd: cmd(controller.CmdPause)},
			{after: 5 * time.Minute, cmd: cmd(controller.CmdResume)},
		}, 60 * time.Second, 10 * time.Second},
		{"add time", []step{{cmd: talk}, {cmd: cmd(controller.CmdStart)}, {cmd: controller.Command{Type: controller.CmdAddTime, Seconds: 60}}}, 160 * time.Second, 0},
		{"remove time", []step{{cmd: talk}, {cmd: controller.Command{Type: controller.CmdAddTime, Seconds: -30}}}, 70 * time.Second, 0},
		{"cannot remove more than the total", []step{{cmd: talk}, {cmd: controller.Command{Type: controller.CmdAddTime, Seconds: -101}, code: controller.EINVALID}}, 100 * time.Second, 0},
		{"zero seconds is invalid", []step{{cmd: talk}, {cmd: controller.Command{Type: controller.CmdAddTime}, code: controller.EINVALID}}, 100 * time.Second, 0},
		{"overtime goes negative", []step{{cmd: talk}, {cmd: cmd(controller.CmdStart)}}, -20 * time.Second, 120 * time.Second},
		{"reset timer", []step{{cmd: talk}, {cmd: cmd(controller.CmdStart)}, {after: time.Minute, cmd: cmd(controller.CmdResetTimer)}}, 100 * time.Second, time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, now := run(t, show, tc.steps)
			if got := st.Timer.Remaining(now.Add(tc.later)); got != tc.remaining {
				t.Errorf("remaining = %v, want %v", got, tc.remaining)
			}
		})
	}
}

func TestApplyOnZero(t *testing.T) {
	show := testShow(t)
	t.Run("hold stops at zero, adding time restarts it", func(t *testing.T) {
		st, now := run(t, show, []step{{cmd: cmd(controller.CmdStart)}})
		now = now.Add(90 * time.Second)
		st, _, err := controller.Apply(show, st, cmd(controller.CmdExpire), now)
		if err != nil {
			t.Fatal(err)
		}
		if st.Timer.Phase != controller.TimerDone || st.Timer.Remaining(now) != 0 {
			t.Fatalf("phase %s remaining %v, want done at 0", st.Timer.Phase, st.Timer.Remaining(now))
		}
		st, _, err = controller.Apply(show, st, controller.Command{Type: controller.CmdAddTime, Seconds: 60}, now)
		if err != nil {
			t.Fatal(err)
		}
		if st.Timer.Phase != controller.TimerRunning || st.Timer.Remaining(now.Add(10*time.Second)) != 50*time.Second {
			t.Fatalf("after add: phase %s remaining %v, want running with 50s", st.Timer.Phase, st.Timer.Remaining(now.Add(10*time.Second)))
		}
	})
	t.Run("advance hands over at the exact instant of zero", func(t *testing.T) {
		st, now := run(t, show, []step{{cmd: controller.Command{Type: controller.CmdGoto, Segment: "video"}}, {cmd: cmd(controller.CmdStart)}})
		zero := now.Add(30 * time.Second)
		st, _, err := controller.Apply(show, st, cmd(controller.CmdExpire), zero.Add(7*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if got := show.Segments[st.Current].ID; got != "launch" {
			t.Fatalf("current = %s, want launch", got)
		}
		if st.Timer.StartedAt != zero.UnixMilli() {
			t.Fatalf("launch started at %d, want the video's zero %d", st.Timer.StartedAt, zero.UnixMilli())
		}
		if run := st.Runs["video"]; run.ElapsedMs != 30_000 {
			t.Fatalf("video ran %d ms, want 30000", run.ElapsedMs)
		}
	})
	t.Run("expire with nothing due is refused", func(t *testing.T) {
		st, now := run(t, show, []step{{cmd: cmd(controller.CmdStart)}})
		if _, _, err := controller.Apply(show, st, cmd(controller.CmdExpire), now.Add(time.Second)); controller.ErrorCode(err) != controller.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
}

func TestApplyMessageAndBlackout(t *testing.T) {
	show := testShow(t)
	st, _ := run(t, show, []step{
		{cmd: controller.Command{Type: controller.CmdMessage, Text: "  Còn 5 phút ", Blink: true}},
		{cmd: controller.Command{Type: controller.CmdBlackout, On: on(true)}},
		{cmd: controller.Command{Type: controller.CmdBlackout}, code: controller.EINVALID},
		{cmd: controller.Command{Type: controller.CmdMessage}, code: controller.EINVALID},
	})
	if st.Message.Text != "Còn 5 phút" || !st.Message.Blink || !st.Blackout {
		t.Fatalf("message %+v blackout %v", st.Message, st.Blackout)
	}
	st, _ = run(t, show, []step{
		{cmd: controller.Command{Type: controller.CmdMessage, Text: "Xin kết thúc"}},
		{cmd: cmd(controller.CmdClearMsg)},
		{cmd: cmd(controller.CmdClearMsg), code: controller.ECONFLICT},
	})
	if st.Message.Text != "" {
		t.Fatalf("message not cleared: %+v", st.Message)
	}
}
