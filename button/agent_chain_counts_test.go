package button

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// TestChainNoPressLostOrDoubled runs 10,000 physical presses with random
// bounce through the whole chain to the fake server, cutting the link
// every 500 presses.
func TestChainNoPressLostOrDoubled(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	srv := newFakeServer(t)
	out, err := runChain(srv.url(), testKey, "nut-1", chainOpts{n: n, seed: 2025, cutEvery: 500})
	if err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	ids := map[string]int{}
	for id := range srv.ids {
		ids[id] = 1 // the fake server has no journal: an id is counted once
	}
	messages := len(srv.presses)
	srv.mu.Unlock()
	a := account(n, out, ids)
	t.Logf("%s; %d press messages", a, messages)
	if a.events != n || out.faults != 0 {
		t.Errorf("Input reported %d presses and %d faults for %d physical presses", a.events, out.faults, n)
	}
	if a.lost != 0 || a.doubled != 0 || a.dropped != 0 || a.late != 0 || a.reached != n {
		t.Errorf("%s: want every press once", a)
	}
	if out.cuts != n/500 || a.resent == 0 {
		t.Errorf("%d cuts, %d resent: the test did not exercise reconnects", out.cuts, a.resent)
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
	outs := runChains(t, srv, buttons, chainOpts{n: n, seed: 7, pace: chainPace, cutEvery: 20})
	journal := srv.journal(t)
	for i, out := range outs {
		id := fmt.Sprintf("nut-%d", i+1)
		a := account(n, out, journal[id])
		t.Logf("%s: %s", id, a)
		if a.events != n || a.reached != n || a.lost != 0 || a.doubled != 0 || a.dropped != 0 || a.resent == 0 {
			t.Errorf("%s: %s: want every press once, some resent", id, a)
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
	if l := srv.engine.Snapshot().State.Launch; l.Phase != controller.LaunchArmed || len(l.Presses) != buttons {
		t.Errorf("launch %s with %d presses counted, want armed with %d", l.Phase, len(l.Presses), buttons)
	}
}

// chainPace keeps a socket under the server's 20 messages a second.
const chainPace = 60 * time.Millisecond

// runChains runs k buttons nut-1…nut-k through the chain at once.
func runChains(tb testing.TB, srv *realServer, k int, o chainOpts) []chainOut {
	tb.Helper()
	keys := make([]string, k)
	for i := range k {
		keys[i] = srv.key(tb, fmt.Sprintf("nut-%d", i+1))
	}
	outs := make([]chainOut, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range k {
		wg.Go(func() {
			oi := o
			oi.seed = o.seed + uint64(i)
			outs[i], errs[i] = runChain(srv.url, keys[i], fmt.Sprintf("nut-%d", i+1), oi)
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

// accounting compares a button's physical presses with what reached the
// server.
type accounting struct {
	physical, events int
	reached          int // physical presses whose id reached the server
	lost             int // presses that never reached it, without a word
	doubled          int // presses counted twice, or ids the agent never made
	dropped          int // presses the agent dropped, unsent or unanswered, by the MaxAge rule, and logged
	late             int // presses the agent gave up waiting for, that the server did get
	resent           int // presses sent more than once
}

func (a accounting) String() string {
	return fmt.Sprintf("%d physical presses → %d press events → %d reached the server (%d resent); lost %d, doubled %d, dropped %d, answered too late %d",
		a.physical, a.events, a.reached, a.resent, a.lost, a.doubled, a.dropped, a.late)
}

// account compares the physical presses with out, the agent's side, and
// atServer, how many times the server recorded each press id.
func account(physical int, out chainOut, atServer map[string]int) accounting {
	a := accounting{physical: physical, events: out.events}
	a.lost = max(physical-out.events, 0) + max(out.events-len(out.results), 0)
	a.doubled = max(out.events-physical, 0)
	mine := map[string]bool{}
	for _, r := range out.results {
		mine[r.PressID] = true
		if r.Sends > 1 {
			a.resent++
		}
		n := atServer[r.PressID]
		switch {
		case n == 0 && r.Dropped:
			a.dropped++
		case n == 0:
			a.lost++
		default:
			a.reached++
			a.doubled += n - 1
			if r.Dropped {
				a.late++
			}
		}
	}
	for id := range atServer {
		if !mine[id] {
			a.doubled++
		}
	}
	return a
}
