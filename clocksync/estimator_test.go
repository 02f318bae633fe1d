package clocksync

import (
	"math"
	"sync"
	"testing"
	"time"
)

// mk is a sample that says offset o with round trip r. Small timestamps
// keep the arithmetic exact.
func mk(o, r float64) Sample {
	const t0 = 1000
	return Sample{T0: t0, T1: t0 + r/2 + o, T2: t0 + r/2 + o, T3: t0 + r}
}

// addAll adds the samples to e and fails the test on an error.
func addAll(t *testing.T, e *Estimator, samples ...Sample) {
	t.Helper()
	for i, s := range samples {
		if err := e.Add(s); err != nil {
			t.Fatalf("sample %d: %v", i, err)
		}
	}
}

func TestEstimatorEmpty(t *testing.T) {
	var e Estimator
	if e.Offset() != 0 || !math.IsInf(e.RTT(), 1) || !math.IsInf(e.Uncertainty(), 1) || e.Ready() || e.Count() != 0 {
		t.Errorf("empty: offset %v rtt %v uncertainty %v ready %v count %d; want 0 +Inf +Inf false 0",
			e.Offset(), e.RTT(), e.Uncertainty(), e.Ready(), e.Count())
	}
	if got := e.ServerTime(1000); got != 1000 {
		t.Errorf("ServerTime(1000) = %v, want 1000", got)
	}
}

func TestEstimatorBestQuarterMedian(t *testing.T) {
	// The truth is 10; every sample is honest, within rtt/2 of it.
	samples := []Sample{mk(10, 4), mk(10.8, 2), mk(9, 3), mk(25, 40), mk(-5, 40), mk(10.3, 1), mk(50, 90), mk(12, 5)}
	tests := []struct {
		n                int
		offset, rtt, unc float64
		ready            bool
	}{
		{1, 10, 4, 2, false},
		{2, 10.8, 2, 1, false},   // one chosen: the best
		{4, 10.8, 2, 1, true},    // n/4 = 1
		{6, 10.3, 1, 0.5, true},  // a faster one arrived
		{8, 10.55, 1, 1.0, true}, // two chosen: 10.3 and 10.8, median between
	}
	for _, tt := range tests {
		e := NewEstimator(0)
		addAll(t, e, samples[:tt.n]...)
		if math.Abs(e.Offset()-tt.offset) > 1e-9 || e.RTT() != tt.rtt || math.Abs(e.Uncertainty()-tt.unc) > 1e-9 || e.Ready() != tt.ready {
			t.Errorf("%d samples: offset %v rtt %v uncertainty %v ready %v; want %v %v %v %v",
				tt.n, e.Offset(), e.RTT(), e.Uncertainty(), e.Ready(), tt.offset, tt.rtt, tt.unc, tt.ready)
		}
	}
}

func TestEstimatorTieGoesToOlder(t *testing.T) {
	e := NewEstimator(0)
	addAll(t, e, mk(10, 2), mk(11, 2))
	if e.Offset() != 10 {
		t.Errorf("Offset = %v, want 10 (the older of two equal round trips)", e.Offset())
	}
}

func TestEstimatorWindow(t *testing.T) {
	tests := []struct {
		name string
		e    *Estimator
		want int
	}{
		{"zero value", &Estimator{}, DefaultWindow},
		{"default", NewEstimator(0), DefaultWindow},
		{"negative", NewEstimator(-3), DefaultWindow},
		{"too small", NewEstimator(2), MinSamples},
		{"large", NewEstimator(32), 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 40 {
				addAll(t, tt.e, mk(0, 2))
			}
			if tt.e.Count() != tt.want {
				t.Errorf("Count = %d, want %d", tt.e.Count(), tt.want)
			}
		})
	}
}

func TestEstimatorForgetsOldSamples(t *testing.T) {
	e := NewEstimator(MinSamples)
	addAll(t, e, mk(0, 1), mk(0.5, 3), mk(0.5, 3), mk(0.5, 3))
	if e.RTT() != 1 || e.Offset() != 0 {
		t.Fatalf("RTT %v offset %v, want 1, 0", e.RTT(), e.Offset())
	}
	addAll(t, e, mk(0.5, 3))
	if e.RTT() != 3 || e.Offset() != 0.5 {
		t.Errorf("after the best left the window: RTT %v offset %v, want 3, 0.5", e.RTT(), e.Offset())
	}
}

func TestEstimatorClockStep(t *testing.T) {
	good, bogus := mk(0, 2), mk(1000, 1)
	e := NewEstimator(0)
	for range 10 {
		addAll(t, e, good)
	}
	steps := []struct {
		name   string
		add    []Sample
		count  int
		offset float64
		resets int
	}{
		{"one glitch is held back", []Sample{bogus}, 10, 0, 0},
		{"and dropped when the next agrees", []Sample{good}, 11, 0, 0},
		{"glitches never two in a row", []Sample{bogus, good, bogus, good}, 13, 0, 0},
		{"two glitches that disagree", []Sample{mk(1000, 1), mk(-1000, 1), good}, 14, 0, 0},
		{"two that agree are a step", []Sample{mk(1000, 1), mk(1000.5, 2)}, 2, 1000, 1},
		{"the new estimate grows", []Sample{mk(1000.2, 1), mk(1000.1, 1)}, 4, 1000, 1},
	}
	for _, st := range steps {
		addAll(t, e, st.add...)
		if e.Count() != st.count || e.Offset() != st.offset || e.Resets() != st.resets {
			t.Errorf("%s: count %d offset %v resets %d; want %d %v %d",
				st.name, e.Count(), e.Offset(), e.Resets(), st.count, st.offset, st.resets)
		}
	}
}

func TestSchedule(t *testing.T) {
	tests := []struct {
		count int
		want  time.Duration
	}{
		{-1, 0}, {0, 0}, {1, BurstInterval}, {BurstSamples - 1, BurstInterval},
		{BurstSamples, SteadyInterval}, {DefaultWindow, SteadyInterval},
	}
	for _, tt := range tests {
		if got := Schedule(tt.count); got != tt.want {
			t.Errorf("Schedule(%d) = %v, want %v", tt.count, got, tt.want)
		}
	}
}

func TestEstimatorConcurrent(t *testing.T) {
	e := NewEstimator(0)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if err := e.Add(mk(7, float64(1+(g+i)%5))); err != nil {
					t.Error(err)
					return
				}
				_ = e.ServerTime(start) + e.RTT() + e.Uncertainty()
				_, _ = e.Ready(), e.Resets()
			}
		})
	}
	wg.Wait()
	if e.Offset() != 7 || e.Count() != DefaultWindow || e.RTT() != 1 {
		t.Errorf("offset %v count %d rtt %v; want 7, %d, 1", e.Offset(), e.Count(), e.RTT(), DefaultWindow)
	}
}
