package button

import (
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// Bounds of the celebration.
const (
	// celebration is how long the Celebrate pattern lasts: six flashes,
	// then lit for 3 s.
	celebration = celebrateFlashes*celebratePeriod + celebrateHold
	// maxLead bounds how long the agent waits for fireAt, against a wrong
	// clock estimate (the server's lead is about 250 ms).
	maxLead = 2 * time.Second
)

// LaunchLight is what the LED shows for a launch that is idle or armed:
// off when idle, solid once this button's press is counted, slow blink
// while armed otherwise. A fired launch is Celebrate, which the agent
// starts at the moment itself (see Agent).
func LaunchLight(l protocol.Launch, button string) LEDState {
	switch l.Phase {
	case protocol.LaunchArmed:
		for _, p := range l.Presses {
			if p.Button == button {
				return Solid
			}
		}
		return SlowBlink
	case protocol.LaunchFired:
		return Celebrate
	}
	return Off
}

// showLaunch sets the LED from a new state of the launch, sent at server
// time sentAt (Unix ms, 0 if unknown).
func (l *loop) showLaunch(ln protocol.Launch, sentAt float64) {
	if ln.Phase != protocol.LaunchFired {
		l.celebrate.stop()
		l.a.led.Set(LaunchLight(ln, l.a.cfg.ButtonID))
		return
	}
	if ln.FireID != l.fireSeen {
		l.fire(ln.FireID, float64(ln.FireAt), sentAt)
		return
	}
	// A fire already handled: keep its celebration, or go dark once it is
	// over (e.g. back from an outage).
	if !l.celebrate.on && l.a.led.State() != Celebrate {
		l.a.led.Set(Off)
	}
}

// fire starts the celebration at fireAt (server Unix ms), when every
// screen starts the moment; it is skipped when the fire is long past.
// sentAt is the server time the message carried, if any: before the clock
// is synced it is the best guess of the server's time.
func (l *loop) fire(id string, fireAt, sentAt float64) {
	if id == l.fireSeen {
		return
	}
	l.fireSeen = id
	now := sentAt
	if l.a.est.Count() > 0 {
		now = l.a.est.ServerTime(l.a.local(l.a.clock.Now()))
	}
	if now == 0 || fireAt == 0 {
		if l.a.relay != nil {
			// Never close a contact for a fire whose age is unknown.
			l.a.log.Warn("button: relay left open: the server's time is not known yet", "fireId", id)
		}
		l.a.led.Set(Celebrate) // no idea of the server's time: celebrate now
		l.a.log.Info("button: the launch fired", "fireId", id)
		return
	}
	wait := time.Duration((fireAt - now) * float64(time.Millisecond))
	l.closeRelay(id, wait)
	switch {
	case wait < -celebration:
		l.a.led.Set(Off) // long over: nothing to celebrate
	case wait <= 0:
		l.a.led.Set(Celebrate)
	default:
		l.celebrate.set(min(wait, maxLead))
	}
	l.a.log.Info("button: the launch fired", "fireId", id, "in", wait.Round(time.Millisecond))
}

// closeRelay pulses the relay, if the agent has one, at the fire's
// instant: in from now.
func (l *loop) closeRelay(id string, in time.Duration) {
	if l.a.relay != nil {
		l.a.relay.Fire(id, in)
	}
}
