package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// change is one state change the tool drove.
type change struct {
	seq  uint64
	sent float64 // local ms when the POST left
}

// measureFanout drives cfg.changes changes through the operator API and
// reports how long each took to reach every client.
func measureFanout(ctx context.Context, cfg config, a *api, c *crowd, w io.Writer) error {
	cpu0, cpuErr := a.metrics(ctx)
	own0 := ownCPU()
	changes := make([]change, 0, cfg.changes)
	for i := range cfg.changes {
		cmd := map[string]any{"type": "message", "text": fmt.Sprintf("Kiểm tra tải số %d — còn 2 phút", i+1)}
		if i%2 == 1 {
			cmd = map[string]any{"type": "clear-message"}
		}
		sent := nowMs()
		r, err := a.command(ctx, cmd)
		if err != nil {
			return err
		}
		changes = append(changes, change{seq: r.Answer.Seq, sent: sent})
		if i == cfg.changes-1 {
			break
		}
		if cfg.gapMax == 0 { // back-to-back: the next change as soon as every client has this one
			select {
			case <-c.times.await(r.Answer.Seq, len(c.screens)):
			case <-time.After(cfg.timeout):
				return fmt.Errorf("change %d (seq %d) did not reach every client within %v", i+1, r.Answer.Seq, cfg.timeout)
			case <-ctx.Done():
				return ctx.Err()
			}
			continue
		}
		if err := sleep(ctx, cfg.pause()); err != nil {
			return err
		}
	}
	last := changes[len(changes)-1].seq
	werr := c.waitAll(ctx, cfg.timeout, func(s *screen) bool { return s.lastSeq.Load() >= last })
	own := ownCPU() - own0
	cpu1, err := a.metrics(ctx)
	cpuLine := ""
	if cpuErr == nil && err == nil {
		cpuLine = serverFanout(cpu0, cpu1, "state") + serverCPU(cpu0, cpu1, len(changes)*len(c.screens))
	}
	cpuLine += fmt.Sprintf("  client CPU (this tool): %.1f µs per delivered state\n", own.Seconds()*1e6/float64(len(changes)*len(c.screens)))

	same := sameHost(cfg)
	var fromPublish, toKernel, fromPost, slowest []float64
	missing := 0
	for _, ch := range changes {
		st, ok := c.times.get(ch.seq)
		if cfg.verbose {
			printChange(w, c, ch, st)
		}
		worst := 0.0
		for _, s := range c.screens {
			at := s.arrival(ch.seq)
			if at == 0 {
				missing++
				continue
			}
			fromPost = append(fromPost, at-ch.sent)
			worst = max(worst, at-ch.sent)
			if !ok {
				continue
			}
			read, kernel, known := s.publishDelays(ch.seq, at, st, same)
			if !known {
				continue
			}
			fromPublish = append(fromPublish, read)
			if kernel > 0 {
				toKernel = append(toKernel, kernel)
			}
		}
		slowest = append(slowest, worst)
	}
	fmt.Fprintf(w, "fan-out, %s: %d changes × %d screens (alternating message / clear-message)\n", cfg.gapLabel(), len(changes), len(c.screens))
	basis := "server clock = client clock (same host)"
	if !same {
		basis = "arrival corrected by each client's clock-sync offset"
	}
	t := newTable("", "p50", "p99", "max", "n")
	t.row("server publish → arrival", summarize(fromPublish))
	if len(toKernel) > 0 {
		t.row("server publish → in socket", summarize(toKernel))
	}
	t.row("POST sent → arrival", summarize(fromPost))
	t.row("POST sent → last screen", summarize(slowest))
	t.print(w)
	fmt.Fprintf(w, "  publish = the state's serverTime, stamped when the server encodes it (%s); missing deliveries: %d\n", basis, missing)
	if len(toKernel) > 0 {
		fmt.Fprintf(w, "  arrival = when this tool read it; in socket = when the screen's kernel received it (SO_TIMESTAMPNS), what a screen with a core of its own would see\n")
	}
	fmt.Fprint(w, cpuLine)
	return werr
}

// measurePresses arms the launch, presses a button over its socket and
// measures when the fire event reaches every screen, cfg.presses times.
func measurePresses(ctx context.Context, cfg config, a *api, c *crowd, w io.Writer) error {
	hello := protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleButton, Name: "Nút tải", Button: "load-1", Key: cfg.buttonKey}
	btn, err := dialScreen(ctx, cfg.wsURL(), hello, c.times, c.poller)
	if err != nil {
		return fmt.Errorf("connect the button: %w", err)
	}
	defer btn.close()
	if _, err := a.command(ctx, map[string]any{"type": "rehearsal", "on": true}); err != nil {
		fmt.Fprintf(w, "  (rehearsal on: %v)\n", err)
	}
	var lat, margins, slowest []float64
	missing := 0
	m0, merr := a.metrics(ctx)
	for i := range cfg.presses {
		if err := rearm(ctx, a); err != nil {
			return err
		}
		if err := sleep(ctx, max(cfg.pause(), 50*time.Millisecond)); err != nil {
			return err
		}
		drain(btn)
		sent := nowMs()
		if err := btn.write(protocol.PressMsg{Type: protocol.TypePress, Ref: fmt.Sprint("p", i), PressID: fmt.Sprintf("load-%d-%d", time.Now().UnixNano(), i), PressedAt: int64(sent)}); err != nil {
			return fmt.Errorf("press: %w", err)
		}
		var fire fireSeen
		select {
		case fire = <-btn.fired:
		case ans := <-btn.answers:
			if ans.Error != nil {
				return fmt.Errorf("press %d refused: %s: %s", i+1, ans.Error.Code, ans.Error.Message)
			}
			fire = <-btn.fired
		case <-time.After(cfg.timeout):
			return fmt.Errorf("press %d: no fire event within %v", i+1, cfg.timeout)
		case <-ctx.Done():
			return ctx.Err()
		}
		werr := c.waitAll(ctx, cfg.timeout, func(s *screen) bool { _, ok := s.fire(fire.id); return ok })
		worst := 0.0
		for _, s := range c.screens {
			f, ok := s.fire(fire.id)
			if !ok {
				missing++
				continue
			}
			lat = append(lat, f.arrival-sent)
			margins = append(margins, f.fireAt-f.arrival)
			worst = max(worst, f.arrival-sent)
		}
		slowest = append(slowest, worst)
		if werr != nil {
			fmt.Fprintf(w, "  press %d: %v\n", i+1, werr)
		}
	}
	fmt.Fprintf(w, "press → fire event, %s: %d presses × %d screens\n", cfg.gapLabel(), cfg.presses, len(c.screens))
	t := newTable("", "p50", "p99", "max", "n")
	t.row("press sent → fire arrival", summarize(lat))
	t.row("press sent → last screen", summarize(slowest))
	t.print(w)
	m := summarize(margins)
	fmt.Fprintf(w, "  the fire event arrived %.1f ms (min) / %.1f ms (p50) before fireAt; missing: %d\n", m.min, m.p50, missing)
	if m1, err := a.metrics(ctx); merr == nil && err == nil {
		fmt.Fprint(w, serverFanout(m0, m1, "fire"))
	}
	return nil
}

// rearm brings the launch back to armed: reset it if it fired, arm it if
// it is idle.
func rearm(ctx context.Context, a *api) error {
	st, err := a.state(ctx)
	if err != nil {
		return err
	}
	if st.State.Launch.Phase == "fired" {
		if _, err := a.command(ctx, map[string]any{"type": "reset-launch"}); err != nil {
			return fmt.Errorf("%w (is rehearsal mode on?)", err)
		}
		st.State.Launch.Phase = "idle"
	}
	if st.State.Launch.Phase == "idle" {
		if _, err := a.command(ctx, map[string]any{"type": "arm"}); err != nil {
			return err
		}
	}
	return nil
}

// drain forgets answers and fire events left from before.
func drain(s *screen) {
	for {
		select {
		case <-s.answers:
		case <-s.fired:
		default:
			return
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// printChange shows one change's delivery: when the server published it
// and when the first and last screens had it, from the POST.
func printChange(w io.Writer, c *crowd, ch change, published float64) {
	first, last := math.Inf(1), 0.0
	for _, s := range c.screens {
		if at := s.arrival(ch.seq); at > 0 {
			first, last = min(first, at-ch.sent), max(last, at-ch.sent)
		}
	}
	fmt.Fprintf(w, "  seq %d: published +%.2f ms, first screen +%.2f ms, last +%.2f ms (from the POST)\n", ch.seq, published-ch.sent, first, last)
}

// serverCPU describes the server's CPU time per delivered message, a
// figure that other load on the machine disturbs less than latency.
func serverCPU(before, after map[string]float64, deliveries int) string {
	const name = "process_cpu_seconds_total"
	b, ok1 := before[name]
	a, ok2 := after[name]
	if !ok1 || !ok2 || deliveries == 0 {
		return ""
	}
	return fmt.Sprintf("  server CPU: %.1f µs per delivered state (%.2f s for %d deliveries, the HTTP commands and clock sync included)\n",
		(a-b)*1e6/float64(deliveries), a-b, deliveries)
}
