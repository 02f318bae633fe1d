package controller

import (
	"fmt"
	"time"
)

// LaunchPhase is where the launch moment stands: idle → armed → fired, and
// back to idle only by an operator's reset in rehearsal mode.
type LaunchPhase string

// Launch phases.
const (
	LaunchIdle  LaunchPhase = "idle"
	LaunchArmed LaunchPhase = "armed"
	LaunchFired LaunchPhase = "fired"
)

// Launch is the state of the launch moment.
type Launch struct {
	Phase   LaunchPhase `json:"phase"`
	ArmedAt int64       `json:"armedAt,omitempty"`
	// Presses are the distinct buttons counted toward the required number.
	Presses  []Press `json:"presses"`
	Required int     `json:"required"`
	WindowMs int     `json:"windowMs"`
	// FireID names this firing; screens report against it.
	FireID string `json:"fireId,omitempty"`
	// FiredAt is when the server decided to fire; FireAt = FiredAt + lead is
	// when every screen starts the moment, in server time.
	FiredAt int64  `json:"firedAt,omitempty"`
	FireAt  int64  `json:"fireAt,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Press is one counted press of a launch button.
type Press struct {
	Button  string `json:"button"`
	Name    string `json:"name,omitempty"`
	PressID string `json:"pressId"`
	At      int64  `json:"at"` // press time in server time, Unix ms
}

// Launch outcomes, answered to the trigger that sent a press or a fire.
const (
	OutcomeCounted = "counted" // the press counts; more are required
	OutcomeFired   = "fired"   // this trigger fired the launch
)

// maxPressAge bounds how old a press's own timestamp may be: an agent that
// claims an older press time is clamped, so a stale clock cannot stretch the
// multi-leader window.
const maxPressAge = 10 * time.Second

func (l Launch) arm(now int64, set LaunchSet) (Launch, error) {
	switch l.Phase {
	case LaunchArmed:
		return l, Errorf(ECONFLICT, "the launch is already armed")
	case LaunchFired:
		return l, Errorf(EDUPLICATE, "the launch already fired; reset it (rehearsal mode) before arming again")
	}
	return Launch{Phase: LaunchArmed, ArmedAt: now, Presses: []Press{}, Required: set.RequiredPresses, WindowMs: set.WindowMs}, nil
}

func (l Launch) disarm() (Launch, error) {
	if l.Phase != LaunchArmed {
		return l, Errorf(ECONFLICT, "the launch is not armed (it is %s)", l.Phase)
	}
	return Launch{Phase: LaunchIdle, Presses: []Press{}}, nil
}

// press counts a button's press; when enough distinct buttons have pressed
// within the window, the launch fires.
func (l Launch) press(p Press, now int64, lead time.Duration, fireID string) (Launch, string, error) {
	switch l.Phase {
	case LaunchIdle:
		return l, "", Errorf(ENOTARMED, "the launch is not armed; the press was ignored")
	case LaunchFired:
		return l, "", Errorf(EDUPLICATE, "the launch already fired (%s)", l.Source)
	}
	if p.At <= 0 || p.At > now || p.At < now-maxPressAge.Milliseconds() {
		p.At = now
	}
	kept := l.Presses[:0:0]
	for _, q := range l.Presses {
		if q.Button == p.Button {
			return l, "", Errorf(EDUPLICATE, "button %q was already counted", p.Button)
		}
		if l.Required <= 1 || p.At-q.At <= int64(l.WindowMs) {
			kept = append(kept, q)
		}
	}
	l.Presses = append(kept, p)
	if len(l.Presses) < max(l.Required, 1) {
		return l, OutcomeCounted, nil
	}
	return l.fire(now, lead, fireID, "button:"+p.Button), OutcomeFired, nil
}

// trigger is the backup fire from the MC or the API.
func (l Launch) trigger(now int64, lead time.Duration, fireID, source string) (Launch, error) {
	switch l.Phase {
	case LaunchIdle:
		return l, Errorf(ENOTARMED, "the launch is not armed; arm it first")
	case LaunchFired:
		return l, Errorf(EDUPLICATE, "the launch already fired (%s)", l.Source)
	}
	return l.fire(now, lead, fireID, source), nil
}

func (l Launch) fire(now int64, lead time.Duration, fireID, source string) Launch {
	l.Phase, l.FiredAt, l.FireAt = LaunchFired, now, now+lead.Milliseconds()
	l.FireID, l.Source = fireID, source
	return l
}

func (l Launch) reset(rehearsal bool) (Launch, error) {
	if !rehearsal {
		return l, Errorf(EFORBIDDEN, "resetting the launch needs rehearsal mode")
	}
	if l.Phase == LaunchIdle {
		return l, Errorf(ECONFLICT, "the launch is already idle")
	}
	return Launch{Phase: LaunchIdle, Presses: []Press{}}, nil
}

// fireIDFor names the fire decided at sequence seq of epoch epoch: unique
// across takeovers, where two primaries may have used the same sequence.
// The first epoch's ids are those of a server that never had a takeover.
func fireIDFor(epoch, seq uint64) string {
	if epoch == 0 {
		return fmt.Sprintf("f%d", seq)
	}
	return fmt.Sprintf("e%d-f%d", epoch, seq)
}
