package button_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/phatdong/phatdong/button"
	"periph.io/x/conn/v3/gpio/gpioreg"
)

// Example wires a button on GPIO17 and its LED on GPIO27 as the agent's
// main does once host.Init() has registered the pins. It has no Output
// line: it needs a Raspberry Pi.
func Example() {
	// Defaults: 5 ms glitch filter, 300 ms lockout, fault after 5 s active.
	in, err := button.NewInput(gpioreg.ByName("GPIO17"), button.Config{})
	if err != nil {
		slog.Error("no button", "err", err)
		return
	}
	// A missing LED pin is nil: the states are then only logged.
	led := button.NewLED(gpioreg.ByName("GPIO27"), button.LEDConfig{})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		if err := led.Run(ctx); !errors.Is(err, context.Canceled) {
			slog.Error("led", "err", err)
		}
	}()
	led.Set(button.SlowBlink) // armed: the server says so in the real agent

	events := make(chan button.Event, 8)
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx, events) }()
	for {
		select {
		case ev := <-events:
			slog.Info("button", "event", ev.String())
			if ev.Kind == button.Press {
				led.Set(button.Solid) // counted; Celebrate when the server fires
			}
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				slog.Error("button", "err", err)
			}
			return
		}
	}
}

// ExampleLevel prints the Celebrate pattern at a few instants after the
// fire: six quick flashes, lit for 3 s, then dark.
func ExampleLevel() {
	for _, ms := range []time.Duration{0, 80, 160, 880, 960, 3959, 3960} {
		since := ms * time.Millisecond
		fmt.Printf("%6s %s\n", since, button.Level(button.Celebrate, since))
	}
	// Output:
	//     0s High
	//   80ms Low
	//  160ms High
	//  880ms Low
	//  960ms High
	// 3.959s High
	//  3.96s Low
}
