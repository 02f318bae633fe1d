package button

import (
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/phatdong/phatdong/protocol"
)

// Bounds of an LED test flash, against a bad message.
const (
	maxFlashHz  = 20
	maxFlashFor = 10 * time.Second
)

// Flash blinks the LED at hz for d over whatever state it shows (the
// doctor's test press, protocol.LEDTestMsg), then goes back to that state,
// which Set may change meanwhile. Out-of-range values are clamped: at
// least 1 Hz, at most maxFlashHz and maxFlashFor.
func (l *LED) Flash(hz int, d time.Duration) {
	hz = min(max(hz, 1), maxFlashHz)
	d = min(max(d, 0), maxFlashFor)
	l.mu.Lock()
	l.flashSince = l.clock.Now()
	l.flashUntil = l.flashSince.Add(d)
	l.flashPeriod = time.Second / time.Duration(hz)
	l.mu.Unlock()
	l.log.Info("button: led test flash", "pin", l.name, "hz", hz, "for", d)
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// levelAt is the level the LED shows at now: the flash while one runs,
// else the state's pattern. l.mu is held.
func (l *LED) levelAt(now time.Time) gpio.Level {
	if now.Before(l.flashUntil) {
		return blink(now.Sub(l.flashSince), l.flashPeriod)
	}
	return Level(l.state, now.Sub(l.since))
}

// ledTest acts on a server's LED test message.
func (l *loop) ledTest(hz, durationMs int) {
	if hz == 0 {
		hz = protocol.LEDTestHz
	}
	if durationMs == 0 {
		durationMs = protocol.LEDTestDurationMs
	}
	l.a.led.Flash(hz, time.Duration(durationMs)*time.Millisecond)
}
