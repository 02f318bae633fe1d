package button

import (
	"fmt"
	"time"
)

// Kind says what an Event reports.
type Kind uint8

// The kinds of Event.
const (
	// Press is a counted press of the button.
	Press Kind = iota + 1
	// Fault means the line has stayed active for Config.StuckAfter: a stuck
	// button, a short in the cable, or a leader holding it down (whose
	// press was counted already). It is reported once; no press is counted
	// while it lasts.
	Fault
	// FaultCleared means a faulty line has returned to inactive and stayed
	// there for Config.Filter. Presses count again after it.
	FaultCleared
)

// String returns the name of k.
func (k Kind) String() string {
	switch k {
	case Press:
		return "press"
	case Fault:
		return "fault"
	case FaultCleared:
		return "fault cleared"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Event is what Input reports on the channel given to Run.
type Event struct {
	Kind Kind
	// At is when it happened on the line. For a Press and a Fault it is the
	// first falling edge of the activity (the first edge of a bouncing
	// contact, or of a spike that ran into the press); for FaultCleared it
	// is the last edge back to inactive.
	At time.Time
	// Seen is when Input decided. For a Press, Seen-At is the glitch filter
	// plus any bounce before the contact settled.
	Seen time.Time
}

// String formats e for logs.
func (e Event) String() string {
	return fmt.Sprintf("%s at %s (seen %s later)", e.Kind,
		e.At.Format("15:04:05.000"), e.Seen.Sub(e.At))
}
