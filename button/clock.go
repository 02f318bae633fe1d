package button

import "time"

// Clock tells the time. Input and LED never read the wall clock directly,
// so tests drive them with a fake clock.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now(), which carries a monotonic reading: durations
// between two of its results are immune to wall-clock steps.
func (SystemClock) Now() time.Time { return time.Now() }
