package button

import (
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

func TestLevel(t *testing.T) {
	const flash = celebratePeriod
	tests := []struct {
		state LEDState
		since time.Duration
		want  gpio.Level
	}{
		{Off, 0, gpio.Low},
		{Off, time.Hour, gpio.Low},
		{Solid, 0, gpio.High},
		{Solid, time.Hour, gpio.High},
		{SlowBlink, 0, gpio.High},
		{SlowBlink, -time.Second, gpio.High},
		{SlowBlink, 499 * ms, gpio.High},
		{SlowBlink, 500 * ms, gpio.Low},
		{SlowBlink, 999 * ms, gpio.Low},
		{SlowBlink, time.Second, gpio.High},
		{SlowBlink, time.Hour + 600*ms, gpio.Low},
		{FastBlink, 0, gpio.High},
		{FastBlink, 99 * ms, gpio.High},
		{FastBlink, 100 * ms, gpio.Low},
		{FastBlink, 199 * ms, gpio.Low},
		{FastBlink, 200 * ms, gpio.High},
		{Celebrate, 0, gpio.High},
		{Celebrate, 79 * ms, gpio.High},
		{Celebrate, 80 * ms, gpio.Low},
		{Celebrate, flash, gpio.High},
		{Celebrate, 5*flash + 79*ms, gpio.High},
		{Celebrate, 5*flash + 80*ms, gpio.Low},
		{Celebrate, 6 * flash, gpio.High},
		{Celebrate, 6*flash + 3*time.Second - 1, gpio.High},
		{Celebrate, 6*flash + 3*time.Second, gpio.Low},
		{Celebrate, time.Hour, gpio.Low},
		{LEDState(42), 0, gpio.Low},
	}
	for _, tt := range tests {
		if got := Level(tt.state, tt.since); got != tt.want {
			t.Errorf("Level(%s, %s) = %s, want %s", tt.state, tt.since, got, tt.want)
		}
	}
}

// TestCelebrateFlashes counts the times Celebrate lights up, at a 1 ms
// step: six flashes, then the hold.
func TestCelebrateFlashes(t *testing.T) {
	lit, prev := 0, gpio.Low
	for since := time.Duration(0); since < 10*time.Second; since += ms {
		l := Level(Celebrate, since)
		if l == gpio.High && prev == gpio.Low {
			lit++
		}
		prev = l
	}
	if lit != celebrateFlashes+1 {
		t.Errorf("lit %d times, want %d flashes and the hold", lit, celebrateFlashes)
	}
	if prev != gpio.Low {
		t.Error("Celebrate does not end dark")
	}
}

func TestLEDStateString(t *testing.T) {
	for s, want := range map[LEDState]string{
		Off: "off", SlowBlink: "slow blink", Solid: "solid", Celebrate: "celebrate",
		FastBlink: "fast blink", LEDState(9): "LEDState(9)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", uint8(s), got, want)
		}
	}
}
