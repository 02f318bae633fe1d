package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// stats summarizes a sample of milliseconds.
type stats struct {
	n                  int
	min, p50, p99, max float64
}

// summarize computes the nearest-rank percentiles of xs.
func summarize(xs []float64) stats {
	if len(xs) == 0 {
		return stats{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return stats{n: len(s), min: s[0], p50: rank(0.50), p99: rank(0.99), max: s[len(s)-1]}
}

// table prints aligned rows of figures.
type table struct {
	head []string
	rows [][]string
}

func newTable(head ...string) *table { return &table{head: head} }

func (t *table) row(label string, s stats) {
	if s.n == 0 {
		t.rows = append(t.rows, []string{label, "–", "–", "–", "0"})
		return
	}
	t.rows = append(t.rows, []string{label, ms(s.p50), ms(s.p99), ms(s.max), fmt.Sprint(s.n)})
}

func (t *table) print(w io.Writer) {
	widths := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range append([][]string{t.head}, t.rows...) {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func ms(v float64) string { return fmt.Sprintf("%.2f ms", v) }

// printMemory reports the server's memory growth per connected socket.
func printMemory(w io.Writer, before, after map[string]float64, n int) {
	per := func(name string) (float64, bool) {
		b, ok1 := before[name]
		a, ok2 := after[name]
		return (a - b) / float64(n), ok1 && ok2
	}
	fmt.Fprintf(w, "server memory per idle socket (%d sockets, after settling; target ≤ 20 KiB):\n", n)
	if v, ok := per("process_resident_memory_bytes"); ok {
		fmt.Fprintf(w, "  RSS                   %6.1f KiB\n", v/1024)
	}
	h, ok1 := per("go_memstats_heap_inuse_bytes")
	st, ok2 := per("go_memstats_stack_inuse_bytes")
	if ok1 && ok2 {
		fmt.Fprintf(w, "  Go heap in use + stacks %5.1f KiB  (heap %.1f, stacks %.1f; the heap figure includes garbage not yet collected)\n", (h+st)/1024, h/1024, st/1024)
	}
	if l, ok := per("phatdong_heap_live_bytes"); ok && ok2 {
		if after["go_gc_duration_seconds_count"] > before["go_gc_duration_seconds_count"] {
			fmt.Fprintf(w, "  live heap (last GC) + stacks %5.1f KiB  (live heap %.1f; the last GC ran after the sockets connected, or during)\n", (l+st)/1024, l/1024)
		} else {
			fmt.Fprintf(w, "  live heap: no garbage collection since the sockets connected\n")
		}
	}
	if v, ok := per("go_goroutines"); ok {
		fmt.Fprintf(w, "  goroutines            %6.2f\n", v)
	}
	if v, ok := per("phatdong_ws_clients"); ok {
		fmt.Fprintf(w, "  (sockets the server counts: %.0f more)\n", v*float64(n))
	}
}

// printClockSync reports how well the clients' clocks agree with the
// server's. On the same host the true offset is 0, so the estimate is its
// own error.
func printClockSync(w io.Writer, c *crowd, same bool) {
	var offs, uncs, rtts []float64
	for _, s := range c.screens[:c.synced] {
		if !s.est.Ready() {
			continue
		}
		offs = append(offs, math.Abs(s.est.Offset()))
		uncs = append(uncs, s.est.Uncertainty())
		rtts = append(rtts, s.est.RTT())
	}
	fmt.Fprintf(w, "clock sync: %d of %d syncing clients have an estimate\n", len(offs), c.synced)
	label := "|offset error|"
	if !same {
		label = "|offset| (truth unknown: another host)"
	}
	t := newTable("", "p50", "p99", "max", "n")
	t.row(label, summarize(offs))
	t.row("uncertainty bound", summarize(uncs))
	t.row("best RTT", summarize(rtts))
	t.print(w)
}

// serverFanout describes the server's own share of a fan-out, from its
// phatdong_ws_fanout_seconds histogram of the given kind between two
// readings: the mean time from encoding a broadcast to its write on the
// last socket, and the histogram bucket that holds the 99th percentile.
func serverFanout(before, after map[string]float64, kind string) string {
	const name = "phatdong_ws_fanout_seconds"
	sel := `{kind="` + kind + `"}`
	n := after[name+"_count"+sel] - before[name+"_count"+sel]
	if n <= 0 {
		return ""
	}
	mean := (after[name+"_sum"+sel] - before[name+"_sum"+sel]) / n
	type bucket struct{ le, count float64 }
	var buckets []bucket
	prefix := name + `_bucket{kind="` + kind + `",le="`
	for series, v := range after {
		if !strings.HasPrefix(series, prefix) {
			continue
		}
		le, err := strconv.ParseFloat(strings.TrimSuffix(series[len(prefix):], `"}`), 64)
		if err != nil {
			continue
		}
		buckets = append(buckets, bucket{le, v - before[series]})
	}
	slices.SortFunc(buckets, func(a, b bucket) int { return cmp.Compare(a.le, b.le) })
	p99 := "?"
	for _, b := range buckets {
		if b.count >= 0.99*n {
			p99 = fmt.Sprintf("≤ %g ms", b.le*1000)
			break
		}
	}
	return fmt.Sprintf("  server side (encode → written to the last socket, from /metrics, %.0f broadcasts): mean %.2f ms, p99 %s\n", n, mean*1000, p99)
}
