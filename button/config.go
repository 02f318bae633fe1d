package button

import (
	"errors"
	"fmt"
	"time"
)

// Defaults and limits of Config.
const (
	// DefaultFilter is the default Config.Filter.
	DefaultFilter = 5 * time.Millisecond
	// DefaultLockout is the default Config.Lockout.
	DefaultLockout = 300 * time.Millisecond
	// DefaultStuckAfter is the default Config.StuckAfter.
	DefaultStuckAfter = 5 * time.Second
	// DefaultPoll is the default Config.Poll.
	DefaultPoll = 100 * time.Millisecond

	// MaxFilter bounds the glitch filter: a quick tap keeps the contact
	// closed for about 50-100 ms, and a longer filter would lose it.
	MaxFilter = 50 * time.Millisecond
	// MaxPoll bounds how long Run may take to notice a cancelled context.
	MaxPoll = time.Second
)

// Config tunes Input. A zero field takes its default.
type Config struct {
	// Filter is how long the line must stay active before a press counts:
	// shorter spikes, e.g. interference on a long cable, are ignored.
	// Default 5 ms, at most MaxFilter.
	Filter time.Duration
	// Lockout starts at the first edge of a counted press (Event.At): a
	// press whose first edge falls inside it is ignored, even if held past
	// its end, however the contact bounces. Default 300 ms.
	Lockout time.Duration
	// StuckAfter is how long the line may stay active before it is
	// reported as a Fault. Default 5 s; it must be longer than Lockout and
	// Filter, or ordinary presses would be faults.
	StuckAfter time.Duration
	// Poll is the longest single wait for an edge, hence the longest time
	// Run takes to see a cancelled context. Default 100 ms, at most MaxPoll.
	Poll time.Duration
	// Clock is the time source; nil means SystemClock.
	Clock Clock
}

// DefaultConfig returns the configuration used for zero fields.
func DefaultConfig() Config {
	return Config{
		Filter:     DefaultFilter,
		Lockout:    DefaultLockout,
		StuckAfter: DefaultStuckAfter,
		Poll:       DefaultPoll,
		Clock:      SystemClock{},
	}
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Filter == 0 {
		c.Filter = d.Filter
	}
	if c.Lockout == 0 {
		c.Lockout = d.Lockout
	}
	if c.StuckAfter == 0 {
		c.StuckAfter = d.StuckAfter
	}
	if c.Poll == 0 {
		c.Poll = d.Poll
	}
	if c.Clock == nil {
		c.Clock = d.Clock
	}
	return c
}

// Validate reports every problem of c, once its zero fields have taken
// their defaults, joined in one error.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("button: config: "+format, args...))
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"Filter", c.Filter}, {"Lockout", c.Lockout}, {"StuckAfter", c.StuckAfter}, {"Poll", c.Poll}} {
		if f.d < 0 {
			bad("%s is %s: it must not be negative (zero means the default)", f.name, f.d)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	c = c.withDefaults()
	if c.Filter > MaxFilter {
		bad("Filter is %s: it must be at most %s, or quick taps are lost", c.Filter, MaxFilter)
	}
	if c.Poll > MaxPoll {
		bad("Poll is %s: it must be at most %s, or cancellation is slow", c.Poll, MaxPoll)
	}
	if c.StuckAfter <= c.Lockout || c.StuckAfter <= c.Filter {
		bad("StuckAfter is %s: it must be longer than Lockout (%s) and Filter (%s)",
			c.StuckAfter, c.Lockout, c.Filter)
	}
	return errors.Join(errs...)
}
