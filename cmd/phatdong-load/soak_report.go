package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// missed counts the seqs from..to (both included) the screen never
// received and lists the first few of them (at most keep). The screen
// keeps each state's arrival time by seq (what the fan-out figures need
// too): 8 bytes a state, 16 with the kernel's stamp, so a 10-minute soak's
// ~400 states cost 1,000 screens about 6 MB, and recording one is an
// index into a slice on the reader's one core.
func (s *screen) missed(from, to uint64, keep int) (int, []uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	var first []uint64
	for seq := from; seq <= to && seq >= from; seq++ {
		if seq >= s.base && int(seq-s.base) < len(s.arrivals) && s.arrivals[seq-s.base] > 0 {
			continue
		}
		n++
		if len(first) < keep {
			first = append(first, seq)
		}
	}
	return n, first
}

// reportSeqs says how many screens saw every seq from..to, and what the
// others missed. It reports whether every screen saw every one.
func reportSeqs(w io.Writer, c *crowd, changes []change, from, to uint64) bool {
	if to < from {
		fmt.Fprintf(w, "  every seq: the server made no state during the soak\n")
		return true
	}
	answered := 0
	for _, ch := range changes {
		if ch.seq >= from && ch.seq <= to {
			answered++
		}
	}
	total := int(to - from + 1)
	fmt.Fprintf(w, "  states: seqs %d–%d, %d in all: %d answered to the soak's commands, %d made by the server itself\n",
		from, to, total, answered, total-answered)
	full := 0
	var others []string
	for i, s := range c.screens {
		n, first := s.missed(from, to, 5)
		if n == 0 {
			full++
			continue
		}
		if len(others) < 10 {
			list := make([]string, len(first))
			for j, seq := range first {
				list[j] = fmt.Sprint(seq)
			}
			if n > len(first) {
				list = append(list, "…")
			}
			line := fmt.Sprintf("    screen %d missed %d: seq %s", i+1, n, strings.Join(list, ", "))
			if code := s.closeCode.Load(); code != 0 {
				line += fmt.Sprintf(" (its socket ended, code %d)", code)
			}
			others = append(others, line)
		}
	}
	fmt.Fprintf(w, "  every seq: %d of %d screens saw every one\n", full, len(c.screens))
	for _, line := range others {
		fmt.Fprintln(w, line)
	}
	if rest := len(c.screens) - full - len(others); rest > 0 {
		fmt.Fprintf(w, "    and %d more screens missed some\n", rest)
	}
	return full == len(c.screens)
}

// reportDropped counts the screens whose socket ended before the tool
// closed it: the tool never closes one during the soak and keeps reading
// every one, so each is a screen the server dropped (or a broken socket).
// It reports whether there were none.
func reportDropped(w io.Writer, c *crowd) bool {
	codes := map[int32]int{}
	n := 0
	for _, s := range c.screens {
		if code := s.closeCode.Load(); code != 0 {
			codes[code]++
			n++
		}
	}
	line := fmt.Sprintf("  screens closed during the soak: %d", n)
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		line += fmt.Sprintf(", %d with code %d", codes[code], code)
	}
	fmt.Fprintln(w, line+" (the tool read every socket all along; a close here is the server's)")
	return n == 0
}

// reportFires reports how each rehearsal fire's event reached the screens
// (as --press does: from the command to each screen, the last screen, and
// how long before fireAt it arrived) and the spread of its arrivals. It
// reports whether every screen had every fire.
func reportFires(w io.Writer, c *crowd, fires []soakFire) bool {
	if len(fires) == 0 {
		fmt.Fprintf(w, "  fires: none\n")
		return true
	}
	var lat, slowest, spread, margins []float64
	missing := 0
	for _, f := range fires {
		first, last := math.Inf(1), math.Inf(-1)
		for _, s := range c.screens {
			got, ok := s.fire(f.id)
			if !ok {
				missing++
				continue
			}
			lat = append(lat, got.arrival-f.sent)
			margins = append(margins, got.fireAt-got.arrival)
			first, last = min(first, got.arrival), max(last, got.arrival)
		}
		if !math.IsInf(first, 0) {
			slowest = append(slowest, last-f.sent)
			spread = append(spread, last-first)
		}
	}
	fmt.Fprintf(w, "  fires: %d, the fire event missing at %d of %d screen × fire\n", len(fires), missing, len(fires)*len(c.screens))
	t := newTable("", "p50", "p99", "max", "n")
	t.row("fire sent → fire event arrival", summarize(lat))
	t.row("fire sent → last screen", summarize(slowest))
	t.row("first → last screen (spread)", summarize(spread))
	t.print(w)
	if m := summarize(margins); m.n > 0 {
		fmt.Fprintf(w, "  the fire event arrived %.1f ms (min) / %.1f ms (p50) before fireAt\n", m.min, m.p50)
	}
	return missing == 0
}

// reportSoakFanout gives the fan-out latency over every state of the
// soak, as measureFanout does over its changes.
func reportSoakFanout(w io.Writer, cfg config, c *crowd, changes []change, from, to uint64) {
	same := sameHost(cfg)
	var fromPublish, toKernel, fromPost, slowest []float64
	for seq := from; seq <= to && seq >= from; seq++ {
		st, ok := c.times.get(seq)
		if !ok {
			continue
		}
		for _, s := range c.screens {
			at := s.arrival(seq)
			if at == 0 {
				continue
			}
			read, kernel, known := s.publishDelays(seq, at, st, same)
			if !known {
				continue
			}
			fromPublish = append(fromPublish, read)
			if kernel > 0 {
				toKernel = append(toKernel, kernel)
			}
		}
	}
	for _, ch := range changes {
		worst := 0.0
		for _, s := range c.screens {
			if at := s.arrival(ch.seq); at > 0 {
				fromPost = append(fromPost, at-ch.sent)
				worst = max(worst, at-ch.sent)
			}
		}
		slowest = append(slowest, worst)
	}
	fmt.Fprintf(w, "  fan-out over the soak's states (steps %v apart: first messages after an idle gap):\n", cfg.step)
	t := newTable("", "p50", "p99", "max", "n")
	t.row("server publish → arrival", summarize(fromPublish))
	if len(toKernel) > 0 {
		t.row("server publish → in socket", summarize(toKernel))
	}
	t.row("command sent → arrival", summarize(fromPost))
	t.row("command sent → last screen", summarize(slowest))
	t.print(w)
}

// reportResources prints the server's resources at the start and the end
// of the soak side by side, and its CPU use between. It reports whether
// the server dropped no socket.
func reportResources(w io.Writer, before, after map[string]float64, elapsed time.Duration) bool {
	const mib = 1 << 20
	type row struct {
		label, name string
		unit        float64
		format      string
		counter     bool // absent before it first counts: 0
	}
	rows := []row{
		{"RSS", "process_resident_memory_bytes", mib, "%.1f MiB", false},
		{"live heap (last GC)", "phatdong_heap_live_bytes", mib, "%.1f MiB", false},
		{"goroutines", "go_goroutines", 1, "%.0f", false},
		{"open files", "process_open_fds", 1, "%.0f", false},
		{"sockets (introduced)", "phatdong_ws_clients", 1, "%.0f", false},
	}
	const dropped = "phatdong_ws_dropped_total{"
	var reasons []string
	for series := range after {
		if strings.HasPrefix(series, dropped) {
			reasons = append(reasons, series)
		}
	}
	slices.Sort(reasons)
	for _, series := range reasons {
		label := "dropped " + strings.TrimSuffix(strings.TrimPrefix(series, dropped), "}")
		rows = append(rows, row{label, series, 1, "%.0f", true})
	}
	t := newTable("", "start", "end", "change")
	for _, r := range rows {
		b, ok1 := before[r.name]
		a, ok2 := after[r.name]
		if r.counter && !ok1 {
			b, ok1 = 0, true
		}
		if !ok1 || !ok2 {
			t.rows = append(t.rows, []string{r.label, "–", "–", "(not in /metrics)"})
			continue
		}
		f := func(v float64) string { return fmt.Sprintf(r.format, v/r.unit) }
		d := f(a - b)
		if a >= b {
			d = "+" + d
		}
		t.rows = append(t.rows, []string{r.label, f(b), f(a), d})
	}
	fmt.Fprintf(w, "server, after settling → after the last state reached every screen (from /metrics):\n")
	t.print(w)
	if b, ok := before["process_cpu_seconds_total"]; ok && elapsed > 0 {
		cpu := after["process_cpu_seconds_total"] - b
		fmt.Fprintf(w, "  server CPU: %.1f s in %.0f s, %.1f %% of a core\n", cpu, elapsed.Seconds(), 100*cpu/elapsed.Seconds())
	}
	return after["phatdong_ws_dropped_total"] == before["phatdong_ws_dropped_total"]
}
