package clocksync

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// jsDir holds static/js/clocksync.js, the browser's copy of the algorithm.
const jsDir = "../static/js"

// state is what an estimator shows after one sample; nil stands for an
// infinite value, which JSON cannot carry.
type state struct {
	Accepted    bool     `json:"accepted"`
	Offset      *float64 `json:"offset"`
	RTT         *float64 `json:"rtt"`
	Uncertainty *float64 `json:"uncertainty"`
	Count       int      `json:"count"`
	Ready       bool     `json:"ready"`
	Resets      int      `json:"resets"`
}

// finite is v, or nil when v is infinite.
func finite(v float64) *float64 {
	if math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// vector is the samples of sc, with impossible ones mixed in, as
// [t0, t1, t2, t3] rows.
func vector(sc scenario) [][4]float64 {
	bad := [][4]float64{
		{start, start + 1, start + 1, start - 1}, // received before sent
		{start, start + 2, start + 1, start + 3}, // answered before received
		{start, start + 1, start + 9, start + 5}, // negative round trip
	}
	out := [][4]float64{bad[0]}
	for i, x := range simulate(sc) {
		out = append(out, [4]float64{x.s.T0, x.s.T1, x.s.T2, x.s.T3})
		if i%7 == 6 {
			out = append(out, bad[i/7%len(bad)])
		}
	}
	return out
}

// rows turns samples into a vector.
func rows(samples ...Sample) [][4]float64 {
	out := make([][4]float64, 0, len(samples))
	for _, s := range samples {
		out = append(out, [4]float64{s.T0, s.T1, s.T2, s.T3})
	}
	return out
}

// replayGo runs rows through a Go Estimator.
func replayGo(rows [][4]float64) []state {
	e := NewEstimator(0)
	out := make([]state, 0, len(rows))
	for _, r := range rows {
		err := e.Add(Sample{r[0], r[1], r[2], r[3]})
		out = append(out, state{err == nil, finite(e.Offset()), finite(e.RTT()), finite(e.Uncertainty()), e.Count(), e.Ready(), e.Resets()})
	}
	return out
}

// replayJS runs rows through the JavaScript ClockSync of the module that
// the page imported as window.cs.
const replayJS = `((vectors) => {
	const f = (v) => Number.isFinite(v) ? v : null;
	const out = {};
	for (const [name, rows] of Object.entries(vectors)) {
		const c = new cs.ClockSync();
		out[name] = rows.map(([t0, t1, t2, t3]) => {
			const accepted = c.addSample(t0, t1, t2, t3);
			return {accepted, offset: f(c.offset), rtt: f(c.rtt), uncertainty: f(c.uncertainty),
				count: c.count, ready: c.ready, resets: c.resets};
		});
	}
	return out;
})(%s)`

// TestJavaScript loads static/js/clocksync.js in Chromium and checks that it
// is the same estimator as the Go one, with the same constants.
func TestJavaScript(t *testing.T) {
	tab := browsertest.OpenModule(t, jsDir, "clocksync.js", "cs")
	t.Run("replay matches Go", func(t *testing.T) { testReplay(t, tab) })
	t.Run("API", func(t *testing.T) { testAPI(t, tab) })
}

// testReplay replays the scenarios' samples, with impossible ones mixed
// in, and requires the same estimates as the Go code, sample by sample,
// within 1e-6 ms.
func testReplay(t *testing.T, tab context.Context) {
	vectors := map[string][][4]float64{}
	for _, sc := range scenarios {
		vectors[sc.name] = vector(sc)
	}
	// Hand-made: ties in RTT must pick the same samples, and glitches and
	// a step must be handled alike.
	vectors["equal round trips"] = rows(mk(10, 2), mk(11, 2), mk(9, 2), mk(10.5, 2), mk(9.5, 2), mk(12, 2),
		mk(8, 2), mk(10.2, 2), mk(10.1, 2), mk(9.9, 2))
	vectors["glitches and a step"] = rows(mk(0, 2), mk(0.1, 2), mk(1000, 1), mk(0, 2), mk(1000, 1), mk(-1000, 1),
		mk(0.2, 3), mk(1000, 1), mk(1000.5, 2), mk(1000.2, 1))
	arg, err := json.Marshal(vectors)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[map[string][]state](fmt.Sprintf(replayJS, arg)))
	if err != nil {
		t.Fatalf("replaying in JavaScript: %v", err)
	}
	worst, n := 0.0, 0
	for name, vec := range vectors {
		want, js := replayGo(vec), got[name]
		if len(js) != len(want) {
			t.Errorf("%s: JavaScript returned %d states, want %d", name, len(js), len(want))
			continue
		}
		for i := range want {
			d, ok := diff(want[i], js[i])
			worst = max(worst, d)
			if !ok || d > 1e-6 {
				t.Errorf("%s, sample %d: Go %s, JavaScript %s", name, i, show(want[i]), show(js[i]))
				break
			}
		}
		n += len(want)
	}
	t.Logf("%d vectors, %d samples: largest Go/JavaScript difference %g ms", len(vectors), n, worst)
}

// diff is the largest difference between the numbers of a and b, and whether
// everything else is equal.
func diff(a, b state) (float64, bool) {
	d := 0.0
	same := a.Accepted == b.Accepted && a.Count == b.Count && a.Ready == b.Ready && a.Resets == b.Resets
	for _, p := range [][2]*float64{{a.Offset, b.Offset}, {a.RTT, b.RTT}, {a.Uncertainty, b.Uncertainty}} {
		switch {
		case p[0] == nil || p[1] == nil:
			same = same && p[0] == nil && p[1] == nil
		default:
			d = max(d, math.Abs(*p[0]-*p[1]))
		}
	}
	return d, same
}

// show formats s for a failure message.
func show(s state) string {
	b, _ := json.Marshal(s)
	return string(b)
}
