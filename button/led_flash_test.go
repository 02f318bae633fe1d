package button

import (
	"slices"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// TestLEDFlashOverAStateThenBack: a test flash blinks 8 Hz (62.5 ms lit,
// 62.5 ms dark) for 2 s over a solid LED, then the LED is solid again; a
// state set during the flash shows once it ends.
func TestLEDFlashOverAStateThenBack(t *testing.T) {
	pin := &outPin{}
	l, clock, _ := newTestLED(pin)
	l.Set(Solid)
	steps := []struct {
		at   time.Duration
		want gpio.Level
	}{
		{0, gpio.High},
		{62 * ms, gpio.High},
		{63 * ms, gpio.Low},
		{125 * ms, gpio.High},
		{1900 * ms, gpio.High},
		{1990 * ms, gpio.Low},
		{2000 * ms, gpio.High}, // over: solid again
	}
	clock.set(t0)
	l.Flash(8, 2*time.Second)
	for _, s := range steps {
		clock.set(t0.Add(s.at))
		if err := l.render(); err != nil {
			t.Fatal(err)
		}
		if got := pin.written(); got[len(got)-1] != s.want {
			t.Errorf("at %s: %s, want %s", s.at, got[len(got)-1], s.want)
		}
	}
	// A state set during a flash waits for its end.
	clock.set(t0.Add(10 * time.Second))
	l.Flash(8, 2*time.Second)
	l.Set(Off)
	clock.set(t0.Add(10*time.Second + 10*ms))
	_ = l.render()
	clock.set(t0.Add(12 * time.Second))
	_ = l.render()
	if got := pin.written(); !slices.Equal(got[len(got)-1:], []gpio.Level{gpio.Low}) {
		t.Errorf("after the flash: %v, want off", got)
	}
	if l.State() != Off {
		t.Errorf("state %s, want off", l.State())
	}
}

func TestLEDFlashClamps(t *testing.T) {
	l, clock, _ := newTestLED(&outPin{})
	clock.set(t0)
	l.Flash(1000, time.Hour)
	if l.flashPeriod != time.Second/maxFlashHz || l.flashUntil.Sub(t0) != maxFlashFor {
		t.Errorf("period %s until +%s", l.flashPeriod, l.flashUntil.Sub(t0))
	}
}
