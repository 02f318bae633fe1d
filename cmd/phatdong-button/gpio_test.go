package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// On a machine without a GPIO character device (a laptop, CI), opening
// the pins says so and points at --simulate.
func TestOpenPinsWithoutGPIO(t *testing.T) {
	if chips, _ := filepath.Glob("/dev/gpiochip*"); len(chips) > 0 {
		t.Skip("this machine has GPIO chips")
	}
	_, _, err := openPins(slog.New(slog.NewTextHandler(io.Discard, nil)), "GPIO17", "GPIO27")
	if err == nil {
		t.Fatal("pins opened without any GPIO chip")
	}
	for _, want := range []string{"button: gpio:", "no /dev/gpiochip*", "--simulate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestKnownPinsWithoutPins(t *testing.T) {
	if chips, _ := filepath.Glob("/dev/gpiochip*"); len(chips) > 0 {
		t.Skip("this machine has GPIO chips")
	}
	if got := knownPins(); got != "no pins at all" {
		t.Errorf("knownPins() = %q", got)
	}
}
