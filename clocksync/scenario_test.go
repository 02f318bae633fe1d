package clocksync

import (
	"fmt"
	"math"
	"testing"
)

// run feeds the exchanges of sc to a new Estimator and returns it, with a
// description of every broken promise: the estimator's Uncertainty must be
// honest along the way, and a clock step, and nothing else, must restart
// the estimate within StepConfirm exchanges.
func run(sc scenario, xs []exchange) (*Estimator, []string) {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	firstAfterStep := -1
	e := NewEstimator(DefaultWindow)
	for i, x := range xs {
		if err := e.Add(x.s); err != nil {
			fail("exchange %d: %v", i, err)
			continue
		}
		stepped := i > 0 && x.truth != xs[i-1].truth
		if sc.stepAt > 0 && stepped && firstAfterStep < 0 {
			firstAfterStep = i
		}
		if firstAfterStep >= 0 && i == firstAfterStep+StepConfirm-1 && e.Resets() != 1 {
			fail("exchange %d, %d after the step: Resets = %d, want 1", i, StepConfirm, e.Resets())
		}
		// With drift the truth moves under the estimate; right after a
		// step the old estimate stands until the step is confirmed.
		if sc.drift == 0 && !stepped {
			if got := math.Abs(e.Offset() - x.truth); got > e.Uncertainty()+sc.quantum+1e-9 {
				fail("exchange %d: error %.4f ms exceeds Uncertainty %.4f ms", i, got, e.Uncertainty())
			}
		}
	}
	if got := e.Offset() - xs[len(xs)-1].truth; math.Abs(got) > sc.bound {
		fail("final error %+.4f ms, want within ±%g ms", got, sc.bound)
	}
	if !e.Ready() || e.Count() != DefaultWindow {
		fail("Ready = %v, Count = %d; want true, %d", e.Ready(), e.Count(), DefaultWindow)
	}
	wantResets := 0
	if sc.stepAt > 0 {
		wantResets = 1
	}
	if e.Resets() != wantResets {
		fail("Resets = %d, want %d", e.Resets(), wantResets)
	}
	return e, problems
}

// TestScenarios runs every scenario with its own seed, the samples that the
// JavaScript test replays too.
func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			xs := simulate(sc)
			if len(xs) < DefaultWindow {
				t.Fatalf("only %d exchanges survived", len(xs))
			}
			e, problems := run(sc, xs)
			for _, p := range problems {
				t.Error(p)
			}
			truth := xs[len(xs)-1].truth
			t.Logf("%d exchanges: error %+.4f ms (bound %g), uncertainty %.4f ms, best RTT %.3f ms",
				len(xs), e.Offset()-truth, sc.bound, e.Uncertainty(), e.RTT())
		})
	}
}

// TestScenariosManySeeds shows that the bounds are not the luck of one
// seed: each scenario must keep its promises with 300 other seeds.
func TestScenariosManySeeds(t *testing.T) {
	seeds := uint64(300)
	if testing.Short() {
		seeds = 20
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			base := sc.seed * 1000
			for sc.seed = base; sc.seed < base+seeds; sc.seed++ {
				_, problems := run(sc, simulate(sc))
				if len(problems) > 0 {
					t.Fatalf("seed %d: %v", sc.seed, problems)
				}
			}
		})
	}
}
