package button

import (
	"time"

	"periph.io/x/conn/v3/gpio"
)

// active is the level of a pressed button: it is wired to ground and the
// line is pulled up.
const active = gpio.Low

// detector is the press logic of Input as a pure state machine: it is fed
// what the pin showed at given times and says what happened. It never waits.
//
// Activity comes in bursts: a burst opens when the line goes active and
// closes once the line has stayed inactive for Filter, so a bouncing contact
// or a chattering stuck line is a single burst. A burst becomes a Press when
// the line stays active for Filter inside it, provided it opened on an edge
// (not with the line already active at start) and after the lockout of the
// previous press. A burst that lasts StuckAfter is a Fault, cleared when it
// closes.
type detector struct {
	cfg Config

	level   gpio.Level // the level last read
	changed time.Time  // when level last changed

	open     bool      // a burst is open
	start    time.Time // when the open burst began
	eligible bool      // the open burst may become a press
	counted  bool      // the open burst became a press
	faulted  bool      // the open burst was reported as a fault

	lockoutUntil time.Time // no burst that opens before this becomes a press
}

// begin sets the state from the first read of the line. A line already
// active at start is a burst that cannot become a press: the button may be
// held, or the cable shorted.
func (d *detector) begin(now time.Time, level gpio.Level) {
	d.level, d.changed = level, now
	if level == active {
		d.open, d.start = true, now
	}
}

// observe takes a wake-up of the waiting loop at now: level is the level
// read, edge whether an edge was reported. An edge without a change of level
// means the line left and came back too fast to see: it is taken as two
// transitions at now. Events found are appended to out.
func (d *detector) observe(now time.Time, level gpio.Level, edge bool, out []Event) []Event {
	// Whatever fell due before now did so at the old level.
	out = d.due(now, out)
	switch {
	case level != d.level:
		d.transition(now, level)
	case edge:
		d.transition(now, !level)
		d.transition(now, level)
	}
	return d.due(now, out)
}

// transition records a change of level at now.
func (d *detector) transition(now time.Time, level gpio.Level) {
	d.level, d.changed = level, now
	if level == active && !d.open {
		d.open, d.start = true, now
		d.eligible = !now.Before(d.lockoutUntil)
		d.counted, d.faulted = false, false
	}
}

// due appends the events whose time has come by now, given that the line
// has been at d.level since d.changed.
func (d *detector) due(now time.Time, out []Event) []Event {
	if !d.open {
		return out
	}
	f := d.cfg.Filter
	if d.level == active && d.eligible && !d.counted && now.Sub(d.changed) >= f {
		d.counted = true
		d.lockoutUntil = d.start.Add(d.cfg.Lockout)
		out = append(out, Event{Kind: Press, At: d.start, Seen: now})
	}
	activeUntil := now
	if d.level != active {
		activeUntil = d.changed
	}
	if !d.faulted && activeUntil.Sub(d.start) >= d.cfg.StuckAfter {
		d.faulted = true
		out = append(out, Event{Kind: Fault, At: d.start, Seen: now})
	}
	if d.level != active && now.Sub(d.changed) >= f {
		d.open = false
		if d.faulted {
			out = append(out, Event{Kind: FaultCleared, At: d.changed, Seen: now})
		}
	}
	return out
}

// deadline returns when something falls due if the line stays as it is,
// or the zero time if nothing is pending.
func (d *detector) deadline() time.Time {
	if !d.open {
		return time.Time{}
	}
	if d.level != active {
		return d.changed.Add(d.cfg.Filter)
	}
	var dl time.Time
	if d.eligible && !d.counted {
		dl = d.changed.Add(d.cfg.Filter)
	}
	if !d.faulted {
		if stuck := d.start.Add(d.cfg.StuckAfter); dl.IsZero() || stuck.Before(dl) {
			dl = stuck
		}
	}
	return dl
}
