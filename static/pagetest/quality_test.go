package pagetest

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// The moment's quality governor (js/fire-quality.js), run in the browser
// on made-up frame intervals: it lowers the level only when a window of
// frames runs long in the median, one level at a time, never below the
// lowest, and judges a 30 Hz display by its own refresh.
func TestQualityGovernor(t *testing.T) {
	tab := openModule(t, "fire-quality.js")
	type result struct {
		Level   int      `json:"level"`
		Changes [][2]int `json:"changes"`
	}
	for _, tc := range []struct {
		name      string
		start     int
		frameMs   float64
		intervals string // a JavaScript array
		want      int
		changes   int
	}{
		{"smooth stays", 3, 16.7, `Array(60).fill(16.7)`, 3, 0},
		{"a lone long frame does not count", 3, 16.7, `[16.7, 16.7, 120, 16.7, 16.7, 16.7].concat(Array(54).fill(16.7))`, 3, 0},
		{"every second frame missed (40 fps) drops", 3, 16.7, `Array(12).fill(0).map((_, i) => i % 2 ? 33.3 : 16.7)`, 1, 2},
		{"one frame in three missed stays", 3, 16.7, `Array(12).fill(0).map((_, i) => i % 3 ? 16.7 : 33.3)`, 3, 0},
		{"most frames missed drops a level per window", 3, 16.7, `Array(12).fill(33.3)`, 1, 2},
		{"never below the lowest", 1, 16.7, `Array(60).fill(50)`, 0, 1},
		{"a 30 Hz display at its own rate", 3, 33.3, `Array(60).fill(33.3)`, 3, 0},
		{"a 30 Hz display missing frames", 3, 33.3, `Array(6).fill(66.7)`, 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[result](`Promise.resolve(window.mod).then(({ Governor }) => {
				const g = new Governor(`+itoa(tc.start)+`, `+ftoa(tc.frameMs)+`);
				let t = 0;
				for (const ms of `+tc.intervals+`) { t += ms; g.frame(ms, t); }
				return { level: g.level, changes: g.changes };
			})`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != tc.want || len(got.Changes) != tc.changes {
				t.Errorf("level %d after %v, want %d after %d changes", got.Level, got.Changes, tc.want, tc.changes)
			}
		})
	}
	// The level a moment starts at: the page's ?quality=, else one above
	// the level kept, else full.
	levels, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`Promise.resolve(window.mod).then(({ startLevel, keepLevel }) => {
		localStorage.removeItem('phatdong.fireQuality');
		const out = [startLevel(new URLSearchParams(''))];
		keepLevel(0);
		out.push(startLevel(new URLSearchParams('')));
		keepLevel(3);
		out.push(startLevel(new URLSearchParams('')));
		out.push(startLevel(new URLSearchParams('quality=1')), startLevel(new URLSearchParams('quality=9')), startLevel(new URLSearchParams('quality=x')));
		localStorage.removeItem('phatdong.fireQuality');
		return out;
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 1, 3, 1, 3, 3}; !slices.Equal(levels, want) {
		t.Errorf("start levels %v, want %v (none kept, 0 kept, 3 kept, ?quality=1, =9, =x)", levels, want)
	}
}

func itoa(n int) string { return ftoa(float64(n)) }

// ftoa writes a number as JavaScript reads it.
func ftoa(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}
