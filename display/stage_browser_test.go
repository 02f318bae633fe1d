package display

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

// TestStagePageStartsTheMomentOnItsCorrectedClock is the spread test's
// companion on the real stage page (/stage, served by the real server):
// two stage screens, clocks off by −7 s and +4 s, behind paths of 80 ms
// and 20 ms each way, are armed and fired three times, as in a rehearsal.
// Each fire must start on both at fireAt of their corrected clocks (the
// page's phatdong:moment event gives the true instant), be reported to
// the server, and play the moment to its end.
//
// TestLaunchSpread holds five screens to one frame with a page reduced to
// the same clock and fire code: five full stage pages, each painting the
// moment, on this machine's two cores measure the machine more than the
// pages (tried: start spreads of 7-15 ms in the median of five fires,
// single fires up to 60 ms, where each screen in a hall has a processor of
// its own).
func TestStagePageStartsTheMomentOnItsCorrectedClock(t *testing.T) {
	screens := []spreadScreen{
		{skew: -7 * time.Second, delay: 80 * time.Millisecond},
		{skew: 4 * time.Second, delay: 20 * time.Millisecond},
	}
	engine, hub, server := spreadServer(t)
	browser := browsertest.NewBrowser(t)
	consoles := spreadOpen(t, browser, screens, strings.TrimPrefix(server.URL, "http://"), time.Millisecond, func(proxy string, n int) string {
		return fmt.Sprintf("http://%s/stage?name=S%%C3%%A2n+kh%%E1%%BA%%A5u+%d", proxy, n)
	})
	for i, sc := range screens {
		spreadWait(t, sc.tab, "phatdongLink.synced", 15*time.Second, fmt.Sprintf("stage %d to sync", i+1))
	}

	spreadExecute(t, engine, controller.Command{Type: controller.CmdRehearsal, On: new(true)})
	var lates, spreads []float64
	for round := range 3 {
		if round > 0 {
			spreadExecute(t, engine, controller.Command{Type: controller.CmdResetLaunch})
		}
		spreadExecute(t, engine, controller.Command{Type: controller.CmdArm})
		spreadExecute(t, engine, controller.Command{Type: controller.CmdFire})
		l := engine.Snapshot().State.Launch
		time.Sleep(time.Until(time.UnixMilli(l.FireAt).Add(200 * time.Millisecond)))
		var actual []float64
		for i, sc := range screens {
			js := fmt.Sprintf("window.__starts[%q]", l.FireID)
			spreadWait(t, sc.tab, js, 5*time.Second, fmt.Sprintf("stage %d to start %s", i+1, l.FireID))
			st, err := chromedp.Run(sc.tab, chromedp.Evaluate[spreadStart](js))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s stage %d: skew %+6.0f ms, %v each way: started %+5.2f ms from fireAt (late %.2f ms); its corrected clock read fireAt at %+5.2f ms",
				l.FireID, i+1, sc.skewMs(), sc.delay, st.TrueMs-st.FireAt, st.Late, st.IntendedMs-st.FireAt)
			if st.FireAt != float64(l.FireAt) {
				t.Errorf("stage %d started %s at fireAt %.0f, want %d", i+1, l.FireID, st.FireAt, l.FireAt)
			}
			if off := st.IntendedMs - st.FireAt; math.Abs(off) > oneFrame {
				t.Errorf("%s: stage %d's corrected clock read fireAt %+.2f ms off the true fireAt, want within one frame", l.FireID, i+1, off)
			}
			if naive := st.NaiveMs - st.FireAt; math.Abs(naive) < 1000 {
				t.Errorf("%s: stage %d's own clock would start only %+.0f ms off; the skew should make that seconds", l.FireID, i+1, naive)
			}
			actual = append(actual, st.TrueMs)
			lates = append(lates, st.TrueMs-st.FireAt)
		}
		if f := spreadHubReports(t, hub, l.FireID, len(screens)); f.Reports != len(screens) {
			t.Errorf("%s: the server counted %d reports, want %d", l.FireID, f.Reports, len(screens))
		}
		spreads = append(spreads, slices.Max(actual)-slices.Min(actual))
		for i, sc := range screens {
			done := fmt.Sprintf("window.phatdongFire && phatdongFire.fireId === %q && phatdongFire.done", l.FireID)
			spreadWait(t, sc.tab, done, 15*time.Second, fmt.Sprintf("stage %d to end the moment %s", i+1, l.FireID))
		}
	}
	// The clocks are held to one frame on every fire above. When the page's
	// timer then runs is the renderer's scheduling: on this machine's two
	// cores, with the server under the race detector beside two renderers,
	// a timer has run 89 ms late once in six starts (CI, 2026-12-03). So the
	// spread is held to three frames in the median of the fires, and to ten
	// frames (167 ms) in the worst: still far under the seconds a page
	// starting on its own skewed clock would be off.
	slices.Sort(spreads)
	t.Logf("the stages started %.2f ms apart in the median of %d fires, %.2f ms at worst", spreads[len(spreads)/2], len(spreads), spreads[len(spreads)-1])
	if median := spreads[len(spreads)/2]; median > 3*oneFrame {
		t.Errorf("the stages started a median %.2f ms apart, want at most three frames", median)
	}
	if worst := spreads[len(spreads)-1]; worst > 10*oneFrame {
		t.Errorf("the stages started %.2f ms apart in one fire, want at most ten frames", worst)
	}
	slices.Sort(lates)
	if median := lates[len(lates)/2]; math.Abs(median) > oneFrame {
		t.Errorf("the stages started a median %+.2f ms from fireAt, want within one frame", median)
	}
	for i, c := range consoles {
		if errs := c.Errors(); len(errs) > 0 {
			t.Errorf("stage %d console: %q", i+1, errs)
		}
	}
}
