// Package clocksync estimates how far the server's clock is ahead of a
// display's clock, so that every display can start the launch moment at the
// same server instant, within one video frame.
//
// A display sends {"type":"time","t0":…}, the server answers with t1 (when it
// received) and t2 (when it answered), and the display notes t3 (when the
// answer arrived). Each exchange is a Sample. An Estimator keeps the recent
// samples and turns them into one offset and an honest error bound.
//
// The browser has the same algorithm with the same constants in
// static/js/clocksync.js; a test runs both on the same samples and requires
// them to agree. Change both together.
package clocksync

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// The estimator's rules.
const (
	// DefaultWindow is how many recent samples an Estimator keeps.
	DefaultWindow = 16

	// MinSamples is how many samples make an estimate Ready. It is also the
	// smallest window an Estimator accepts.
	MinSamples = 4

	// BestDivisor selects the samples that make the estimate: the 1/BestDivisor
	// of the window with the lowest round trips, at least one.
	BestDivisor = 4

	// StepSlack is the tolerance, in ms, before a sample that contradicts the
	// estimate counts as evidence of a clock step. It covers coarse browser
	// timestamps (0.1 ms or worse) and the drift of two clocks across a window
	// (50 ppm over 48 s is 2.4 ms). A smaller step is absorbed as the window
	// turns over.
	StepSlack = 5.0

	// StepConfirm is how many contradicting samples in a row, agreeing with
	// each other, restart the estimate. One is not enough: a single glitch
	// must not throw away a good estimate.
	StepConfirm = 2
)

// Estimator turns samples into an estimate of the offset of the server
// clock. It is safe for concurrent use. The zero value is ready to use, with
// DefaultWindow.
//
// The estimate is the median offset of the lowest-RTT quarter of the last
// samples. A sample's offset is wrong by half the difference of its two
// one-way delays, which is at most RTT/2, so the fastest exchanges are the
// most trustworthy: queuing, Wi-Fi retries and garbage-collection pauses only
// ever add delay, often to one direction, and those samples fall out of the
// chosen quarter. Taking the median of the quarter rather than the single
// best sample keeps one lucky-but-lopsided exchange from deciding alone, and
// ignores one outlier in the quarter completely.
//
// The true offset lies within RTT/2 of every honest sample. When a new
// sample's interval is far (StepSlack) from the estimate's interval, the two
// cannot both be right: a clock was stepped. After StepConfirm such samples
// that agree with each other, the estimator forgets the old samples and
// restarts from them.
type Estimator struct {
	mu      sync.Mutex
	size    int
	samples []point // in arrival order, oldest first
	pending []point // contradicting samples waiting for confirmation
	resets  int
	offset  float64
	rtt     float64
	unc     float64
}

// point is what the estimator keeps of a sample.
type point struct {
	offset, rtt float64
}

// NewEstimator returns an Estimator that keeps the last window samples. A
// window below 1 means DefaultWindow; one below MinSamples is raised to it.
func NewEstimator(window int) *Estimator {
	return &Estimator{size: windowSize(window)}
}

// windowSize applies the rules of NewEstimator to window.
func windowSize(window int) int {
	if window < 1 {
		return DefaultWindow
	}
	return max(window, MinSamples)
}

// Add validates s and adds it to the estimate. It returns an error wrapping
// ErrInvalidSample, and changes nothing, when s is impossible. A sample that
// contradicts the estimate is held back until StepConfirm of them restart the
// estimate, or dropped when the next sample agrees with the estimate.
func (e *Estimator) Add(s Sample) error {
	if err := s.Validate(); err != nil {
		return err
	}
	p := point{offset: s.Offset(), rtt: s.RTT()}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.size == 0 {
		e.size = DefaultWindow
	}
	if len(e.samples) > 0 && !e.agrees(p) {
		if !consistent(p, e.pending) {
			e.pending = e.pending[:0]
		}
		e.pending = append(e.pending, p)
		if len(e.pending) < StepConfirm {
			return nil
		}
		e.samples = append(e.samples[:0], e.pending...)
		e.pending = e.pending[:0]
		e.resets++
	} else {
		e.pending = e.pending[:0]
		e.samples = append(e.samples, p)
		if len(e.samples) > e.size {
			e.samples = slices.Delete(e.samples, 0, len(e.samples)-e.size)
		}
	}
	e.estimate()
	return nil
}

// agrees reports whether p's interval, offset ± rtt/2, comes within
// StepSlack of the estimate's interval, offset ± uncertainty.
func (e *Estimator) agrees(p point) bool {
	return math.Abs(p.offset-e.offset) <= p.rtt/2+e.unc+StepSlack
}

// consistent reports whether p agrees in the same way with every point of
// others.
func consistent(p point, others []point) bool {
	for _, o := range others {
		if math.Abs(p.offset-o.offset) > p.rtt/2+o.rtt/2+StepSlack {
			return false
		}
	}
	return true
}

// estimate recomputes offset, rtt and unc from the samples; there is at
// least one. Ties in RTT go to the older sample, so that the JavaScript
// version, which sorts the same way, picks the same samples.
func (e *Estimator) estimate() {
	n := len(e.samples)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(e.samples[a].rtt, e.samples[b].rtt), cmp.Compare(a, b))
	})
	k := max(1, n/BestDivisor)
	offsets := make([]float64, k)
	for i := range offsets {
		offsets[i] = e.samples[order[i]].offset
	}
	slices.Sort(offsets)
	if k%2 == 1 {
		e.offset = offsets[k/2]
	} else {
		e.offset = (offsets[k/2-1] + offsets[k/2]) / 2
	}
	e.rtt = e.samples[order[0]].rtt
	// The truth is within rtt/2 of the best sample's offset, and the median
	// is within the spread of the chosen offsets of it.
	e.unc = e.rtt/2 + (offsets[k-1] - offsets[0])
}

// Offset is the estimated offset in ms (server = display + Offset), or 0
// before the first sample.
func (e *Estimator) Offset() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.offset
}

// RTT is the lowest round trip among the kept samples, in ms, or +Inf
// before the first sample.
func (e *Estimator) RTT() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.samples) == 0 {
		return math.Inf(1)
	}
	return e.rtt
}

// Uncertainty bounds the error of Offset, in ms: half the best RTT plus the
// spread of the offsets that made the estimate. It holds when the clocks do
// not drift and the best sample is honest. It is +Inf before the first
// sample.
func (e *Estimator) Uncertainty() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.samples) == 0 {
		return math.Inf(1)
	}
	return e.unc
}

// Count is how many samples make the current estimate: at most the window,
// and few again right after a clock step restarted the estimate.
func (e *Estimator) Count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.samples)
}

// Ready reports whether Count has reached MinSamples.
func (e *Estimator) Ready() bool {
	return e.Count() >= MinSamples
}

// Resets is how many times a clock step restarted the estimate.
func (e *Estimator) Resets() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.resets
}

// ServerTime converts a display time to server time, both in Unix ms.
func (e *Estimator) ServerTime(localNowMs float64) float64 {
	return localNowMs + e.Offset()
}
