package button

import (
	"fmt"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// LEDState is what the button's LED shows.
type LEDState uint8

// The states of the LED. The LED is lit at gpio.High.
const (
	// Off: idle, the launch is not armed.
	Off LEDState = iota
	// SlowBlink: the launch is armed; 1 Hz, lit half the time.
	SlowBlink
	// Solid: this button's press was counted.
	Solid
	// Celebrate: the launch fired. Six quick flashes (80 ms lit, 80 ms
	// dark), then lit for 3 s, then off: the moment is over and the button
	// has nothing more to do.
	Celebrate
	// FastBlink: the agent cannot reach the server; 5 Hz, lit half the time.
	FastBlink
)

// Timings of the patterns.
const (
	slowPeriod       = time.Second
	fastPeriod       = 200 * time.Millisecond
	celebrateFlashes = 6
	celebratePeriod  = 160 * time.Millisecond
	celebrateHold    = 3 * time.Second
)

// String returns the name of s.
func (s LEDState) String() string {
	switch s {
	case Off:
		return "off"
	case SlowBlink:
		return "slow blink"
	case Solid:
		return "solid"
	case Celebrate:
		return "celebrate"
	case FastBlink:
		return "fast blink"
	}
	return fmt.Sprintf("LEDState(%d)", uint8(s))
}

// Level returns the level of the LED pin in state s, since after the state
// was set. Every blinking pattern starts lit, so a change shows at once. An
// unknown state is dark.
func Level(s LEDState, since time.Duration) gpio.Level {
	since = max(since, 0)
	switch s {
	case SlowBlink:
		return blink(since, slowPeriod)
	case Solid:
		return gpio.High
	case Celebrate:
		flashes := celebrateFlashes * celebratePeriod
		switch {
		case since < flashes:
			return blink(since, celebratePeriod)
		case since < flashes+celebrateHold:
			return gpio.High
		}
		return gpio.Low
	case FastBlink:
		return blink(since, fastPeriod)
	}
	return gpio.Low
}

// blink is lit during the first half of each period.
func blink(since, period time.Duration) gpio.Level {
	return gpio.Level(since%period < period/2)
}
