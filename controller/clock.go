package controller

import "time"

// Clock tells the time and wakes the engine. The engine never reads the
// wall clock nor starts a timer of its own, so every timer rule, the expiry
// loop's included, is tested with a fake clock and no sleeping.
type Clock interface {
	Now() time.Time
	// After sends the clock's time on the channel once d has passed on
	// this clock (at once when d <= 0).
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After is time.After.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// UnixMs converts t to Unix milliseconds, the unit of every timestamp in the
// state. The zero time maps to 0, meaning "never".
func UnixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
