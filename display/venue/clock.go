package venue

import (
	"time"

	"github.com/phatdong/phatdong/clocksync"
)

// Clock is the province's time as a hall's server knows it: its own clock
// plus the offset its exchanges with the province estimate (the same
// estimator as every screen's). Before the first exchange it is the hall's
// own clock. It is a controller.Clock, for the hall's engine.
type Clock struct {
	est *clocksync.Estimator
}

// NewClock returns a clock with no estimate yet.
func NewClock() *Clock { return &Clock{est: clocksync.NewEstimator(0)} }

// Offset is how far the province's clock is ahead of this server's.
func (c *Clock) Offset() time.Duration {
	if c.est.Count() == 0 {
		return 0
	}
	return time.Duration(c.est.Offset() * float64(time.Millisecond))
}

// Now is the province's time.
func (c *Clock) Now() time.Time { return time.Now().Add(c.Offset()) }

// After is time.After: durations are the same on both clocks.
func (c *Clock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// figures are the estimate's offset, error bound and round trip in ms,
// and whether it is ready; zeros before the first exchange (the error
// bound is infinite then, which JSON cannot carry).
func (c *Clock) figures() (offset, errBound, rtt float64, ready bool) {
	if c.est.Count() == 0 {
		return 0, 0, 0, false
	}
	return c.est.Offset(), c.est.Uncertainty(), c.est.RTT(), c.est.Ready()
}

// add takes one exchange with the province.
func (c *Clock) add(s clocksync.Sample) error { return c.est.Add(s) }
