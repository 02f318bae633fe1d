package button

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// LEDResolution is how often LED.Run re-renders the pattern.
const LEDResolution = 10 * time.Millisecond

// LEDConfig tunes an LED. A zero field takes its default.
type LEDConfig struct {
	// Clock is the time source; nil means SystemClock.
	Clock Clock
	// Logger receives one line per state change; nil means slog.Default().
	Logger *slog.Logger
}

// LED drives the indicator LED of a button: Set picks a state from any
// goroutine, Run renders its pattern on the pin. The LED keeps the level
// it wrote itself and never reads the pin back: reading a gpioioctl output
// would turn it into an input.
type LED struct {
	pin   gpio.PinOut // nil: no LED, states are only logged
	name  string
	clock Clock
	log   *slog.Logger
	wake  chan struct{}
	// ticks makes the renderer's wake-ups; tests replace it.
	ticks func() (<-chan time.Time, func())

	mu    sync.Mutex
	state LEDState
	since time.Time // when state was set
	// A test flash over the state (Flash) until flashUntil.
	flashSince, flashUntil time.Time
	flashPeriod            time.Duration

	// Owned by the renderer.
	written bool
	level   gpio.Level
}

// NewLED returns an LED on pin, in state Off. A nil pin means the button
// has no LED: states are then only logged.
func NewLED(pin gpio.PinOut, cfg LEDConfig) *LED {
	l := &LED{pin: pin, name: "none", clock: cfg.Clock, log: cfg.Logger, wake: make(chan struct{}, 1)}
	if pin != nil {
		l.name = pin.Name()
	}
	if l.clock == nil {
		l.clock = SystemClock{}
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	l.ticks = func() (<-chan time.Time, func()) {
		t := time.NewTicker(LEDResolution)
		return t.C, t.Stop
	}
	l.since = l.clock.Now()
	return l
}

// Set changes the state; it is safe from any goroutine. Setting the current
// state again changes nothing: a blinking pattern keeps its phase.
func (l *LED) Set(s LEDState) {
	l.mu.Lock()
	if s == l.state {
		l.mu.Unlock()
		return
	}
	from := l.state
	l.state, l.since = s, l.clock.Now()
	l.mu.Unlock()
	l.log.Info("button: led state", "pin", l.name, "from", from.String(), "to", s.String())
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// State returns the current state.
func (l *LED) State() LEDState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

// Run renders the pattern until ctx is done, then switches the LED off and
// returns ctx.Err(), or returns a wrapped error if the pin cannot be
// written. Without a pin it only waits for ctx. Run once per LED.
func (l *LED) Run(ctx context.Context) error {
	if l.pin == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	ticks, stop := l.ticks()
	defer stop()
	for {
		if err := l.render(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			l.written = false
			if err := l.pin.Out(gpio.Low); err != nil {
				return errors.Join(ctx.Err(), fmt.Errorf("button: led %s: switch off: %w", l.name, err))
			}
			return ctx.Err()
		case <-l.wake:
		case <-ticks:
		}
	}
}

// render writes the level the pattern asks for now, if it differs from the
// level last written.
func (l *LED) render() error {
	l.mu.Lock()
	level := l.levelAt(l.clock.Now())
	l.mu.Unlock()
	if l.written && level == l.level {
		return nil
	}
	if err := l.pin.Out(level); err != nil {
		return fmt.Errorf("button: led %s: write %s: %w", l.name, level, err)
	}
	l.written, l.level = true, level
	return nil
}
