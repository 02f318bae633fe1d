package pagetest

import (
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/chromedp"
)

// The rules of stage-media.js: where a film is on its timer (filmPosition)
// and the pace that brings a film back to it (paceFor).
func TestStageMediaRules(t *testing.T) {
	tab := openModule(t, "stage-media.js")
	run := func(t *testing.T, expr string) float64 {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Evaluate[float64](`Promise.resolve(window.mod).then((m) => `+expr+`)`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("position", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			timer string
			now   int
			want  float64
		}{
			{"not started", `{phase: "ready", startedAt: 0}`, 5000, 0},
			{"scheduled 500 ms ahead: before its instant", `{phase: "running", startedAt: 10500, pausedMs: 0}`, 10000, -500},
			{"running", `{phase: "running", startedAt: 10000, pausedMs: 0}`, 25000, 15000},
			{"running after pauses", `{phase: "running", startedAt: 10000, pausedMs: 3000}`, 25000, 12000},
			{"resumed 500 ms ahead: behind the held frame until its instant", `{phase: "running", startedAt: 10000, pausedMs: 3500}`, 23000, 9500},
			{"paused", `{phase: "paused", startedAt: 10000, pausedAt: 20000, pausedMs: 1000}`, 99000, 9000},
			{"done", `{phase: "done", startedAt: 10000, pausedAt: 40000, pausedMs: 0}`, 99000, 30000},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := run(t, fmt.Sprintf(`m.filmPosition({timer: %s}, %d)`, tc.timer, tc.now)); got != tc.want {
					t.Errorf("filmPosition = %v, want %v", got, tc.want)
				}
			})
		}
	})
	t.Run("pace", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			diffMs  float64
			nudging bool
			want    float64
		}{
			{"on time", 0, false, 1},
			{"within the dead band, not nudging", 15, false, 1},
			{"within the dead band, nudging: keeps closing", 15, true, 1 - 0.015},
			{"closer than 5 ms: done", 4, true, 1},
			{"30 ms ahead: slower", 30, false, 1 - 0.03},
			{"30 ms behind: faster", -30, false, 1 + 0.03},
			{"far behind: at most 5% faster", -800, false, 1.05},
			{"far ahead: at most 5% slower", 800, false, 0.95},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := run(t, fmt.Sprintf(`m.paceFor(%v, %v).rate`, tc.diffMs, tc.nudging))
				if math.Abs(got-tc.want) > 1e-9 {
					t.Errorf("paceFor(%v, %v) = %v, want %v", tc.diffMs, tc.nudging, got, tc.want)
				}
			})
		}
	})
}
