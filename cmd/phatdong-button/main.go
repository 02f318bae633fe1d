// Command phatdong-button is the launch button agent of phatdong. It runs
// on a Raspberry Pi (3, 4, 5 or Zero) with a push button between GPIO17
// and GND and an optional LED on GPIO27, connects to the phatdong server
// as a button client, and sends each press; the LED follows the launch.
//
// With --simulate it runs on any computer without GPIO: each Enter on the
// keyboard is a press, and the LED's states are logged. See deploy/pi for
// the wiring, the configuration file and the systemd unit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"periph.io/x/conn/v3/gpio"

	"github.com/phatdong/phatdong/button"
	"github.com/phatdong/phatdong/cmd/internal/version"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

func main() {
	if err := mainImpl(); err != nil {
		fmt.Fprintf(os.Stderr, "phatdong-button: %v\n", err)
		os.Exit(1)
	}
}

func mainImpl() error {
	if len(os.Args) > 1 && os.Args[1] == "discover" {
		return discoverCommand(os.Args[2:], os.Stdout, os.Stderr, nil)
	}
	if version.Requested(os.Args[1:]) {
		fmt.Println(version.Line("phatdong-button"))
		return nil
	}
	cfg, err := loadConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := newLogger(cfg.Debug)
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var inPin gpio.PinIn
	var ledPin gpio.PinOut
	var relay *button.Relay // nil: no relay_pin
	if cfg.Simulate {
		sim := button.NewSimPin(cfg.Pin)
		inPin = sim
		log.Info("button: simulation: no GPIO; press Enter to press the button, Ctrl-C to stop")
		go func() {
			if err := sim.FeedLines(ctx, os.Stdin, os.Stderr); err == nil {
				log.Info("button: simulation: standard input closed, no more presses")
			}
		}()
	} else {
		inPin, ledPin, err = openPins(log, cfg.Pin, cfg.LEDPin)
		if err != nil {
			return err
		}
		if relay, err = openRelay(log, cfg); err != nil {
			return err
		}
	}

	var rediscover button.BrowseFunc
	if cfg.Auto() {
		rediscover = dnssd.FindPrimary // looks again if the server moves
	}
	if cfg, err = cfg.Discover(ctx, nil, log); err != nil {
		return err
	}
	in, err := button.NewInput(inPin, cfg.Input())
	if err != nil {
		return err
	}
	led := button.NewLED(ledPin, button.LEDConfig{Logger: log})
	agent, err := button.NewAgent(cfg, button.AgentOptions{LED: led, Relay: relay, Log: log, Rediscover: rediscover})
	if err != nil {
		return err
	}
	if relay != nil {
		defer relay.Close()
	}
	ic := in.Config()
	log.Info("button: starting", "server", cfg.Server, "standby", cfg.Standby, "button", cfg.ButtonID, "name", cfg.Name,
		"pin", cfg.Pin, "led", ledName(cfg), "filter", ic.Filter, "lockout", ic.Lockout,
		"maxAge", cfg.MaxAge, "simulate", cfg.Simulate)
	err = agent.Serve(ctx, in)
	if errors.Is(err, context.Canceled) {
		log.Info("button: stopped")
		return nil
	}
	return err
}

// ledName says which LED pin is used, for the start-up line.
func ledName(cfg button.AgentConfig) string {
	switch {
	case cfg.Simulate:
		return "none (simulated: states are logged)"
	case cfg.LEDPin == "":
		return "none (states are logged)"
	}
	return cfg.LEDPin
}

// newLogger logs text lines on standard error, without the time under
// systemd, whose journal adds its own.
func newLogger(debug bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if debug {
		opts.Level = slog.LevelDebug
	}
	if os.Getenv("JOURNAL_STREAM") != "" {
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
