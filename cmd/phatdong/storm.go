package main

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/jonboulle/clockwork"
)

// stormRelease gives back to the system the memory a reconnect storm
// leaves behind.
//
// When thousands of screens connect at once (after a Wi-Fi drop), their
// HTTP upgrades make more garbage per socket than the socket keeps, the
// heap overshoots, and Go keeps that memory. Once the number of sockets has
// grown by at least minGrowth since the last release and then held still
// for quiet, it collects and returns the free memory at once
// (debug.FreeOSMemory), on a goroutine of its own while the hub goes on;
// the collector would have run about then anyway. Lowering the collector's
// target (GOGC) instead keeps the memory down too, but slows the state
// fan-out. The figures are in docs/performance.md ("Memory after a
// reconnect storm").
type stormRelease struct {
	connected func() int // sockets open now
	release   func()     // debug.FreeOSMemory, or a test's
	clock     clockwork.Clock
	every     time.Duration // how often to look
	quiet     time.Duration // how long the count must not grow
	minGrowth int           // growth that makes a storm
	log       *slog.Logger
}

// newStormRelease watches connected with the production settings.
func newStormRelease(connected func() int, log *slog.Logger) *stormRelease {
	return &stormRelease{
		connected: connected, release: debug.FreeOSMemory, clock: clockwork.NewRealClock(),
		every: 250 * time.Millisecond, quiet: time.Second, minGrowth: 500, log: log,
	}
}

// run watches until ctx ends.
func (r *stormRelease) run(ctx context.Context) {
	t := r.clock.NewTicker(r.every)
	defer t.Stop()
	base := r.connected() // the count at the last release
	last, grew := base, r.clock.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.Chan():
		}
		now := r.clock.Now()
		n := r.connected()
		if n > last {
			grew = now
		}
		last = n
		base = min(base, n) // sockets that left make room for a storm too
		if n-base >= r.minGrowth && now.Sub(grew) >= r.quiet {
			start := time.Now()
			r.release()
			r.log.Info("returned the memory of a reconnect storm", "sockets", n, "grew", n-base, "took", time.Since(start))
			base = n
		}
	}
}
