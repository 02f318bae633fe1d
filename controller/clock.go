package controller

import "time"

// Clock tells the time. The engine never reads the wall clock directly, so
// every timer rule is tested with a fake clock and no sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// UnixMs converts t to Unix milliseconds, the unit of every timestamp in the
// state. The zero time maps to 0, meaning "never".
func UnixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
