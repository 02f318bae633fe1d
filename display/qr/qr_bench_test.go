package qr_test

import (
	"testing"

	"github.com/phatdong/phatdong/display/qr"
)

// BenchmarkPNG draws the MC's code of a screen's link at the panel's
// size, as POST /api/v1/qr does.
func BenchmarkPNG(b *testing.B) {
	for b.Loop() {
		if _, err := qr.PNG(link, 320); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTerminal draws the banner's code of the same link.
func BenchmarkTerminal(b *testing.B) {
	for b.Loop() {
		if _, err := qr.Terminal(link, qr.Dark); err != nil {
			b.Fatal(err)
		}
	}
}
