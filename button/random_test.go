package button

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// timeline builds a random line for n presses: each press bounces (0-30
// edges within 15 ms) on the way down and up, is held 20-250 ms, and spikes
// shorter than the filter come before it and during its lockout. It
// returns the steps and when each press began.
func timeline(rng *rand.Rand, n int, filter, lockout time.Duration) ([]step, []time.Duration) {
	var steps []step
	var starts []time.Duration
	between := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rng.Int64N(int64(hi-lo))) }
	spikes := func(t, until time.Duration) time.Duration {
		for range rng.IntN(4) {
			d := between(time.Microsecond, filter-time.Microsecond)
			if t+d >= until {
				break
			}
			steps = append(steps, step{t, gpio.Low}, step{t + d, gpio.High})
			t += d + between(ms/2, 20*ms)
		}
		return t
	}
	// bounce appends edges from t within 15 ms, first and last at level.
	bounce := func(t time.Duration, level gpio.Level) time.Duration {
		times := []time.Duration{t}
		for range rng.IntN(31) {
			times = append(times, t+between(0, 15*ms))
		}
		slices.Sort(times)
		if len(times)%2 == 0 {
			times = append(times, t+15*ms)
		}
		for i, at := range times {
			steps = append(steps, step{at, level == (i%2 == 0)})
		}
		return times[len(times)-1]
	}
	t := 100 * ms
	for range n {
		t = spikes(t, t+time.Second)
		start := t
		starts = append(starts, start)
		settled := bounce(start, gpio.Low)
		released := bounce(settled+between(20*ms, 250*ms), gpio.High)
		// Spikes in the lockout, ending well before the next group.
		spikes(released+ms, start+lockout-4*filter)
		t = max(released+10*ms, start+lockout+30*ms) + between(0, 200*ms)
	}
	return steps, starts
}

func TestInputRandomPresses(t *testing.T) {
	const n = 10000
	cfg := DefaultConfig()
	rng := rand.New(rand.NewPCG(2025, 326))
	steps, starts := timeline(rng, n, cfg.Filter, cfg.Lockout)
	end := steps[len(steps)-1].at + time.Second
	got := replay(t, Config{}, gpio.High, steps, end)
	t.Logf("%d steps over %s of fake time, %d events", len(steps), end.Round(time.Second), len(got))
	if len(got) != n {
		t.Errorf("%d events for %d presses", len(got), n)
	}
	for i, ev := range got[:min(len(got), n)] {
		at, seen := ev.At.Sub(t0), ev.Seen.Sub(t0)
		s := starts[i]
		switch {
		case ev.Kind != Press:
			t.Fatalf("event %d is %s, want a press", i, ev)
		case at < s-40*ms || at > s+15*ms:
			t.Fatalf("press %d at %s, but it began at %s: lost or doubled", i, at, s)
		case seen-at < cfg.Filter || seen > s+15*ms+cfg.Filter:
			t.Fatalf("press %d at %s seen at %s: want within the filter after settling", i, at, seen)
		}
	}
}
