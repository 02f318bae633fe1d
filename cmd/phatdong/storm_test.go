package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// TestStormReleaseAfterAStormOnly steps the watcher tick by tick through
// socket counts and checks on which ticks it returns memory: only once a
// growth of minGrowth has held still for the quiet time, once per storm.
func TestStormReleaseAfterAStormOnly(t *testing.T) {
	const every = 250 * time.Millisecond // quiet = 4 ticks, minGrowth = 500
	tests := []struct {
		name  string
		steps []int // the count at each tick
		want  []int // the ticks (0-based) that release
	}{
		{"a storm, then quiet", []int{200, 500, 600, 600, 600, 600, 600, 600, 600}, []int{6}},
		{"growth below a storm", []int{100, 300, 400, 400, 400, 400, 400, 400}, nil},
		{"still growing: not yet", []int{200, 400, 600, 700, 800, 900, 1000, 1100}, nil},
		{"two storms", []int{600, 600, 600, 600, 600, 1200, 1200, 1200, 1200, 1200}, []int{4, 9}},
		{"screens left, then came back", []int{0, 0, 0, 0, 0, 0, 500, 500, 500, 500, 500}, []int{10}},
		{"quiet is counted from the last growth", []int{550, 550, 550, 560, 560, 560, 560, 560}, []int{7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clockwork.NewFakeClock()
			// The watcher takes each count from the test and blocks in
			// release until the test has seen it: each tick's release is
			// seen before the next tick's count is taken.
			counts := make(chan int)
			released := make(chan struct{})
			r := &stormRelease{
				connected: func() int { return <-counts },
				release:   func() { released <- struct{}{} },
				clock:     clock, every: every, quiet: time.Second, minGrowth: 500,
				log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go r.run(ctx)
			counts <- 0 // the count at the start
			if err := clock.BlockUntilContext(ctx, 1); err != nil {
				t.Fatal(err)
			}
			var got []int
			for i, n := range append(tt.steps, -1) { // -1: one more tick to see the last release
				clock.Advance(every)
				if i > 0 {
					select {
					case <-released:
						got = append(got, i-1)
					case counts <- max(n, 0):
						continue
					}
				}
				if n >= 0 {
					counts <- n
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("released at ticks %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("released at ticks %v, want %v", got, tt.want)
				}
			}
		})
	}
}
