package button

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// TestChainNoPressLostOrDoubled runs 10,000 physical presses with random
// bounce through the whole chain to the fake server as fast as it goes,
// cutting the link every 500 presses.
func TestChainNoPressLostOrDoubled(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	srv := newFakeServer(t)
	out, err := runChain(srv.url(), "nut-1", chainOpts{n: n, seed: 2025, cutEvery: 500})
	if err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	distinct, received := len(srv.ids), len(srv.presses)
	srv.mu.Unlock()
	c := countResults(out.results)
	lost, doubled := max(n-distinct, 0), max(distinct-n, 0)
	t.Logf("%d physical presses → %d press events → %d distinct press ids at the server (%d press messages: %d resent after %d link cuts); lost %d, doubled %d, dropped %d",
		n, out.events, distinct, received, c.resent, out.cuts, lost, doubled, c.dropped)
	if out.events != n || out.faults != 0 {
		t.Errorf("Input reported %d presses and %d faults for %d physical presses", out.events, out.faults, n)
	}
	if lost != 0 || doubled != 0 || c.dropped != 0 || c.answered != n {
		t.Errorf("lost %d, doubled %d, dropped %d, answered %d of %d", lost, doubled, c.dropped, c.answered, n)
	}
	if out.cuts != n/500 || c.resent == 0 {
		t.Errorf("%d cuts, %d resent: the test did not exercise reconnects", out.cuts, c.resent)
	}
}

// TestChainRealServer runs three buttons through the chain to the real
// server, paced under its per-socket rate limit, cutting each link every 20
// presses, and counts in the journal: every physical press once, and each
// button counted once toward the launch.
func TestChainRealServer(t *testing.T) {
	const buttons, n = 3, 60
	srv := startRealServer(t, func(s *controller.Show) {
		s.Launch.RequiredPresses = controller.MaxRequiredPress // never reached: it stays armed
		s.Launch.WindowMs = controller.MaxWindowMs
	})
	srv.exec(t, controller.Command{Type: controller.CmdArm})
	outs := runChains(t, srv.url, buttons, chainOpts{n: n, seed: 7, pace: chainPace, cutEvery: 20})
	ids, entries := srv.journaledPresses(t)
	total := 0
	for i, out := range outs {
		id := fmt.Sprintf("nut-%d", i+1)
		c := countResults(out.results)
		total += len(ids[id])
		if out.events != n || len(ids[id]) != n || c.dropped != 0 {
			t.Errorf("%s: %d physical presses, %d events, %d distinct ids journaled, %d dropped", id, n, out.events, len(ids[id]), c.dropped)
		}
		counted, dup := 0, 0
		for _, r := range out.results {
			switch {
			case r.Outcome == controller.OutcomeCounted:
				counted++
			case r.Code == controller.EDUPLICATE:
				dup++
			}
		}
		if counted != 1 || dup != n-1 {
			t.Errorf("%s: %d counted and %d duplicates, want 1 and %d", id, counted, dup, n-1)
		}
	}
	if entries != total {
		t.Errorf("%d press entries in the journal for %d distinct ids: a press was journaled twice", entries, total)
	}
	if l := srv.engine.Snapshot().State.Launch; l.Phase != controller.LaunchArmed || len(l.Presses) != buttons {
		t.Errorf("launch %s with %d presses counted, want armed with %d", l.Phase, len(l.Presses), buttons)
	}
	t.Logf("%d buttons × %d physical presses → %d distinct press ids journaled, %d press entries; %d buttons counted",
		buttons, n, total, entries, buttons)
}

// chainPace keeps a socket under the server's 20 messages a second.
const chainPace = 60 * time.Millisecond

// runChains runs k buttons nut-1…nut-k through the chain at once.
func runChains(tb testing.TB, url string, k int, o chainOpts) []chainOut {
	tb.Helper()
	outs := make([]chainOut, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range k {
		wg.Go(func() {
			oi := o
			oi.seed = o.seed + uint64(i)
			outs[i], errs[i] = runChain(url, fmt.Sprintf("nut-%d", i+1), oi)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	return outs
}
