package button

import "time"

// alarm is a one-shot timer whose channel is nil while it is not armed, so
// a select on C() ignores it.
type alarm struct {
	t  *time.Timer
	on bool
}

// set arms the alarm to ring after d, replacing any earlier setting.
func (a *alarm) set(d time.Duration) {
	if a.t == nil {
		a.t = time.NewTimer(d)
	} else {
		a.t.Reset(d)
	}
	a.on = true
}

// stop disarms the alarm.
func (a *alarm) stop() {
	if a.t != nil {
		a.t.Stop()
	}
	a.on = false
}

// fired records that the alarm rang.
func (a *alarm) fired() { a.on = false }

// C is the channel that rings, or nil while the alarm is off.
func (a *alarm) C() <-chan time.Time {
	if !a.on {
		return nil
	}
	return a.t.C
}
