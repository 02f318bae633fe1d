package main

import (
	"runtime/debug"
	"testing"
)

func TestGCPercent(t *testing.T) {
	tests := []struct {
		gogc string
		want int
	}{
		{"", defaultGCPercent}, // unset: the server's own target
		{"100", 0},             // the operator's choice stands
		{"off", 0},
		{"25", 0},
	}
	for _, tt := range tests {
		if got := gcPercent(tt.gogc); got != tt.want {
			t.Errorf("gcPercent(%q) = %d, want %d", tt.gogc, got, tt.want)
		}
	}
}

func TestTuneGCSetsTheTarget(t *testing.T) {
	prev := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(prev) })

	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Errorf("with GOGC unset the target is %d, want %d", got, defaultGCPercent)
	}
	tuneGC(func(string) string { return "200" })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set the target changed to %d, want it left at 100", got)
	}
}
