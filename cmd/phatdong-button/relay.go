package main

import (
	"log/slog"

	"github.com/phatdong/phatdong/button"
)

// openRelay opens the relay's output pin when relay_pin names one, after
// openPins has initialised periph.io; nil when there is none.
func openRelay(log *slog.Logger, cfg button.AgentConfig) (*button.Relay, error) {
	if cfg.RelayPin == "" {
		return nil, nil
	}
	pin, err := findPin(log, cfg.RelayPin, "relay")
	if err != nil {
		return nil, err
	}
	r, err := button.NewRelay(pin, button.RelayConfig{Hold: cfg.RelayHold, ActiveLow: cfg.RelayActiveLow, Log: log})
	if err != nil {
		return nil, err
	}
	log.Info("button: relay", "pin", cfg.RelayPin, "hold", cfg.RelayHold, "activeLow", cfg.RelayActiveLow)
	return r, nil
}
