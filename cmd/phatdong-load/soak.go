package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"
)

// momentLen is how long the launch moment plays on a screen (FIRE_MS in
// static/js/fire-canvas.js): the soak resets a rehearsal fire after it, as
// an MC would, unless the next fire comes sooner.
const momentLen = 5 * time.Second

// soakFire is one rehearsal fire the soak made.
type soakFire struct {
	seq    uint64
	id     string
	sent   float64 // local ms when the fire command left
	fireAt float64 // server ms when the screens start the moment
	served float64 // server ms when the server answered the fire
}

// soak is one soak run: the show it drives through the operator API and
// what the server answered.
type soak struct {
	cfg   config
	a     *api
	first string // the first segment's id, where a step after the last goes
	count int    // segments in the show
	index int    // the current segment, from the last answer
	phase string // the launch's phase, from the last answer

	changes []change // every command the server answered with a new state
	steps   int
	fires   []soakFire
	resets  int
	errs    int
	err     error // the first command that failed
}

// runSoak runs the show for cfg.soak on the crowd c, already connected and
// settled: it turns rehearsal on, steps the show every cfg.step and fires
// every cfg.fireEvery, then reports whether every screen saw every state
// and every fire and stayed connected, and the server's resources at the
// start and the end. It returns an error when one of those failed.
func runSoak(ctx context.Context, cfg config, a *api, c *crowd, w io.Writer) error {
	k := &soak{cfg: cfg, a: a}
	first, err := a.firstSegment(ctx)
	if err != nil {
		return err
	}
	k.first = first
	st, err := a.state(ctx)
	if err != nil {
		return err
	}
	k.index, k.count, k.phase = st.State.Current.Index, st.State.Show.SegmentCount, st.State.Launch.Phase
	// Every screen holds the state of this moment (or a later one) before
	// the soak starts: what it must see is everything after it.
	from := st.State.Seq + 1
	if err := c.waitAll(ctx, cfg.timeout, func(s *screen) bool { return s.lastSeq.Load() >= st.State.Seq }); err != nil {
		return fmt.Errorf("before the soak: %w", err)
	}
	m0, merr := a.metrics(ctx)
	read0 := time.Now()
	if merr != nil {
		fmt.Fprintf(w, "  (no server metrics at the start: %v)\n", merr)
	}
	cpu0, start := ownCPU(), time.Now()

	rehearsalWas := st.State.Rehearsal
	if !rehearsalWas {
		k.command(ctx, map[string]any{"type": "rehearsal", "on": true})
	}
	if err := k.loop(ctx, c); err != nil {
		return err
	}
	// Leave the launch idle, and rehearsal as it was.
	if k.phase == "fired" {
		k.reset(ctx)
	}
	if k.phase == "armed" {
		k.command(ctx, map[string]any{"type": "disarm"})
	}
	if !rehearsalWas {
		k.command(ctx, map[string]any{"type": "rehearsal", "on": false})
	}
	elapsed, cpu := time.Since(start), ownCPU()-cpu0

	// The seqs every screen should have seen are every one from the first
	// after the soak began to the server's seq now, not only those the
	// commands were answered with: the server numbers every state it
	// publishes one after the other (each committed change, its expiry loop
	// and show edits included) and sends each to every screen, never
	// coalescing. A seq between two answers is a state the server made by
	// itself (none is expected: the soak never starts a clock), and a screen
	// that missed it missed a state all the same.
	end, err := a.state(ctx)
	if err != nil {
		return err
	}
	to := end.State.Seq
	werr := c.waitAll(ctx, cfg.timeout, func(s *screen) bool { return s.lastSeq.Load() >= to || s.closeCode.Load() != 0 })
	m1, merr1 := a.metrics(ctx)
	between := time.Since(read0)
	if merr1 != nil {
		fmt.Fprintf(w, "  (no server metrics at the end: %v)\n", merr1)
	}

	fmt.Fprintf(w, "soak: %v, %d screens, a step every %v, a rehearsal fire every %v\n", elapsed.Round(time.Second), len(c.screens), cfg.step, fireLabel(cfg.fireEvery))
	fmt.Fprintf(w, "  commands: %d steps, %d fires, %d launch resets; %d states answered, %d failed\n", k.steps, len(k.fires), k.resets, len(k.changes), k.errs)
	ok := reportSeqs(w, c, k.changes, from, to)
	ok = reportDropped(w, c) && ok
	ok = reportFires(w, c, k.fires) && ok
	reportSoakFanout(w, cfg, c, k.changes, from, to)
	fmt.Fprintf(w, "  client CPU (this tool, GOMAXPROCS=%d, the commands and clock sync included): %.1f s in %.0f s, %.1f %% of a core\n",
		runtime.GOMAXPROCS(0), cpu.Seconds(), elapsed.Seconds(), 100*cpu.Seconds()/elapsed.Seconds())
	if merr == nil && merr1 == nil {
		ok = reportResources(w, m0, m1, between) && ok
	}
	switch {
	case k.err != nil:
		return fmt.Errorf("soak: %d commands failed; the first: %w", k.errs, k.err)
	case werr != nil:
		return fmt.Errorf("soak: the last state: %w", werr)
	case !ok:
		return fmt.Errorf("soak: not every screen saw every state and fire, or the server dropped screens (see the report)")
	}
	return nil
}

// loop steps and fires until the soak's time is over.
func (k *soak) loop(ctx context.Context, c *crowd) error {
	over := time.NewTimer(k.cfg.soak)
	defer over.Stop()
	steps := time.NewTicker(k.cfg.step)
	defer steps.Stop()
	var fires <-chan time.Time
	if k.cfg.fireEvery > 0 {
		t := time.NewTicker(k.cfg.fireEvery)
		defer t.Stop()
		fires = t.C
	}
	var reset *time.Timer
	var resetC <-chan time.Time
	defer func() {
		if reset != nil {
			reset.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-over.C:
			return nil
		case <-steps.C:
			k.step(ctx)
		case <-fires:
			if f, ok := k.fire(ctx); ok {
				// After the moment has played, or halfway to the next fire.
				wait := time.Duration((f.fireAt - f.served) * float64(time.Millisecond))
				wait += min(momentLen, k.cfg.fireEvery/2)
				if reset != nil {
					reset.Stop()
				}
				reset = time.NewTimer(max(wait, 0))
				resetC = reset.C
			}
		case <-resetC:
			resetC = nil
			if k.phase == "fired" {
				k.reset(ctx)
			}
		}
	}
}

// step moves the show one segment on, or back to the first after the last.
func (k *soak) step(ctx context.Context) {
	cmd := map[string]any{"type": "next"}
	if k.index >= k.count-1 {
		cmd = map[string]any{"type": "goto", "segment": k.first}
	}
	if _, ok := k.command(ctx, cmd); ok {
		k.steps++
	}
}

// fire arms the launch and fires it from the MC (the backup fire), as a
// rehearsal does; a launch still fired from before is reset first.
func (k *soak) fire(ctx context.Context) (soakFire, bool) {
	if k.phase == "fired" && !k.reset(ctx) {
		return soakFire{}, false
	}
	if k.phase != "armed" {
		if _, ok := k.command(ctx, map[string]any{"type": "arm"}); !ok {
			return soakFire{}, false
		}
	}
	sent := nowMs()
	r, ok := k.command(ctx, map[string]any{"type": "fire"})
	if !ok || r.State.Launch.FireID == "" {
		return soakFire{}, false
	}
	f := soakFire{seq: r.Answer.Seq, id: r.State.Launch.FireID, sent: sent, fireAt: r.State.Launch.FireAt, served: r.ServerTime}
	k.fires = append(k.fires, f)
	return f, true
}

// reset brings a fired launch back to idle (rehearsal mode).
func (k *soak) reset(ctx context.Context) bool {
	_, ok := k.command(ctx, map[string]any{"type": "reset-launch"})
	if ok {
		k.resets++
	}
	return ok
}

// command posts cmd and records the state it was answered with; a failure
// is counted, and the soak goes on.
func (k *soak) command(ctx context.Context, cmd map[string]any) (stateReply, bool) {
	sent := nowMs()
	r, err := k.a.command(ctx, cmd)
	if err == nil && r.Answer == nil {
		err = fmt.Errorf("command %v: no answer in the reply", cmd["type"])
	}
	if err != nil {
		if ctx.Err() == nil {
			k.errs++
			if k.err == nil {
				k.err = err
			}
		}
		return r, false
	}
	k.changes = append(k.changes, change{seq: r.Answer.Seq, sent: sent})
	k.index, k.phase = r.State.Current.Index, r.State.Launch.Phase
	return r, true
}

// fireLabel describes --fire-every.
func fireLabel(d time.Duration) string {
	if d == 0 {
		return "never"
	}
	return d.String()
}
