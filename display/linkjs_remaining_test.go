package display

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
)

// testRemaining runs link.remaining() on a table of timers and compares
// it with controller.Timer.Remaining at the same instant. A segment that
// holds at zero never reads below 0 on a screen, even in the moment before
// the server marks it done.
func testRemaining(t *testing.T, tab linkTab) {
	const base = int64(1_744_600_000_000)
	const minute = int64(60_000)
	type tc struct {
		name   string
		timer  controller.Timer
		onZero controller.OnZero
		now    int64
	}
	running := controller.Timer{Phase: controller.TimerRunning, StartedAt: base, DurationMs: 10 * minute}
	cases := []tc{
		{"ready", controller.Timer{Phase: controller.TimerReady, DurationMs: 15 * minute, AddedMs: minute}, controller.OnZeroOvertime, base},
		{"running", running, controller.OnZeroOvertime, base + 3*minute + 250},
		{"running, just started", running, controller.OnZeroOvertime, base},
		{"running, clock behind the start", running, controller.OnZeroOvertime, base - 5000},
		{"running, paused before and time added", controller.Timer{Phase: controller.TimerRunning, StartedAt: base, PausedMs: 90_000, AddedMs: 2 * minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 11*minute},
		{"running, time removed", controller.Timer{Phase: controller.TimerRunning, StartedAt: base, AddedMs: -3 * minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 4*minute},
		{"overtime", running, controller.OnZeroOvertime, base + 12*minute + 1},
		{"at zero", running, controller.OnZeroOvertime, base + 10*minute},
		{"paused", controller.Timer{Phase: controller.TimerPaused, StartedAt: base, PausedAt: base + 4*minute, PausedMs: 1000, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 9*minute},
		{"paused in overtime", controller.Timer{Phase: controller.TimerPaused, StartedAt: base, PausedAt: base + 12*minute, DurationMs: 10 * minute}, controller.OnZeroOvertime, base + 20*minute},
		{"hold, running", running, controller.OnZeroHold, base + 9*minute},
		{"hold, past zero before the server says done", running, controller.OnZeroHold, base + 10*minute + 700},
		{"hold, done", controller.Timer{Phase: controller.TimerDone, StartedAt: base, PausedAt: base + 10*minute, DurationMs: 10 * minute}, controller.OnZeroHold, base + 30*minute},
		{"advance, past zero", running, controller.OnZeroAdvance, base + 10*minute + 40},
		{"zero duration", controller.Timer{Phase: controller.TimerRunning, StartedAt: base}, controller.OnZeroOvertime, base + 1500},
	}
	type jsCase struct {
		View controller.View `json:"view"`
		Now  int64           `json:"now"`
	}
	in := make([]jsCase, len(cases))
	for i, c := range cases {
		in[i] = jsCase{controller.View{Timer: c.timer, Current: controller.SegmentView{OnZero: c.onZero}, Launch: controller.Launch{Phase: controller.LaunchIdle}}, c.now}
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(
		`((cases) => { const l = newLink({role: 'stage', name: 'x'}); return cases.map((c) => l.remaining(c.view, c.now)); })(%s)`, data)))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		want := c.timer.Remaining(time.UnixMilli(c.now)).Milliseconds()
		if c.onZero == controller.OnZeroHold || c.timer.Phase == controller.TimerDone {
			want = max(want, 0)
		}
		if got[i] != float64(want) {
			t.Errorf("%s: link.remaining = %v ms, controller.Timer.Remaining = %d ms", c.name, got[i], want)
		}
	}
}
