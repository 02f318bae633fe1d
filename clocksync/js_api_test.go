package clocksync

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/protocol"
)

// apiJS exercises what the replay does not: the constants, the schedule,
// the window, values that no server should send, and the clock helpers.
const apiJS = `(() => {
	const delays = [];
	for (let n = -1; n <= 20; n++) delays.push(cs.nextDelay(n));
	const windows = [0, -3, 2, 32].map((size) => {
		const c = new cs.ClockSync(size);
		for (let i = 0; i < 40; i++) c.addSample(1000, 1001, 1001, 1002);
		return c.count;
	});
	const c = new cs.ClockSync();
	const rejected = [
		c.addSample(NaN, 1, 2, 3),
		c.addSample(0, Infinity, 2, 3),
		c.addSample("0", 1, 2, 3),
		c.addReply({type: "time", t0: 1}, 5),
		c.addReply({type: "time", t0: 1, t1: "2", t2: 2}, 5),
		c.addReply(null, 5),
	];
	const rejectedCount = c.count;
	const req = c.request();
	const requestAge = cs.localNow() - req.t0;
	for (let i = 0; i < 4; i++) c.addReply({type: "time", t0: 1000, t1: 3003, t2: 3003.5}, 1006.5);
	return {
		constants: [cs.WINDOW, cs.MIN_SAMPLES, cs.BEST_DIVISOR, cs.STEP_SLACK_MS, cs.STEP_CONFIRM,
			cs.BURST_SAMPLES, cs.BURST_INTERVAL_MS, cs.STEADY_INTERVAL_MS],
		delays, windows, rejected, rejectedCount, requestType: req.type, requestAge,
		offset: c.offset, ready: c.ready, nextDelay: c.nextDelay(),
		serverTime: c.serverTime(5000), serverNowAhead: c.serverNow() - cs.localNow(),
	};
})()`

// apiResult is what apiJS returns.
type apiResult struct {
	Constants      []float64 `json:"constants"`
	Delays         []float64 `json:"delays"`
	Windows        []int     `json:"windows"`
	Rejected       []bool    `json:"rejected"`
	RejectedCount  int       `json:"rejectedCount"`
	RequestType    string    `json:"requestType"`
	RequestAge     float64   `json:"requestAge"`
	Offset         float64   `json:"offset"`
	Ready          bool      `json:"ready"`
	NextDelay      float64   `json:"nextDelay"`
	ServerTime     float64   `json:"serverTime"`
	ServerNowAhead float64   `json:"serverNowAhead"`
}

// ms is d in float milliseconds, the unit of the JavaScript constants.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// testAPI compares the JavaScript constants, schedule and window with the
// Go ones, and checks the guards and clock helpers of the JavaScript side.
func testAPI(t *testing.T, tab context.Context) {
	got, err := chromedp.Run(tab, chromedp.Evaluate[apiResult](apiJS))
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{DefaultWindow, MinSamples, BestDivisor, StepSlack, StepConfirm,
		BurstSamples, ms(BurstInterval), ms(SteadyInterval)}
	if !slices.Equal(got.Constants, want) {
		t.Errorf("JavaScript constants %v, Go %v", got.Constants, want)
	}
	for i, d := range got.Delays {
		if n := i - 1; d != ms(Schedule(n)) {
			t.Errorf("nextDelay(%d) = %v ms, Schedule(%d) = %v", n, d, n, Schedule(n))
		}
	}
	for i, size := range []int{0, -3, 2, 32} {
		e := NewEstimator(size)
		for range 40 {
			_ = e.Add(Sample{1000, 1001, 1001, 1002})
		}
		if got.Windows[i] != e.Count() {
			t.Errorf("window %d: JavaScript keeps %d samples, Go %d", size, got.Windows[i], e.Count())
		}
	}
	for i, ok := range got.Rejected {
		if ok {
			t.Errorf("impossible sample %d was accepted", i)
		}
	}
	if got.RejectedCount != 0 {
		t.Errorf("count %d after impossible samples, want 0", got.RejectedCount)
	}
	if got.RequestType != protocol.TypeTime || got.RequestAge < 0 || got.RequestAge > 1000 {
		t.Errorf("request() type %q, taken %v ms ago; want %q, just now", got.RequestType, got.RequestAge, protocol.TypeTime)
	}
	if got.Offset != 2000 || !got.Ready || got.NextDelay != ms(BurstInterval) || got.ServerTime != 7000 {
		t.Errorf("offset %v ready %v nextDelay %v serverTime(5000) %v; want 2000 true %v 7000",
			got.Offset, got.Ready, got.NextDelay, got.ServerTime, ms(BurstInterval))
	}
	if math.Abs(got.ServerNowAhead-2000) > 50 {
		t.Errorf("serverNow() - localNow() = %v ms, want 2000", got.ServerNowAhead)
	}
}
