package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// The venue fan-out benchmark's schedule.
const (
	benchWarmup   = 3                      // commands before the measured ones, not measured
	benchCommands = 50                     // measured commands
	benchGap      = 200 * time.Millisecond // between two commands
	benchOneWay   = 50 * time.Millisecond  // each hall's leaf link, each way
	clockTicks    = 100                    // USER_HZ: /proc's CPU times are in 1/100 s on Linux
)

// addOne is the province command every step sends: the current
// segment's clock gains a second, so the timer's addedMs a screen sees
// counts the commands the province has taken.
const addOne = `{"type":"add-time","seconds":1}`

// BenchmarkVenueFanout runs one province process and district hall
// processes, each hall's leaf link through its own delaying proxy (50 ms
// each way, 2-10 ms of jitter), with light stage screens on every hall,
// and sends commands to the province 200 ms apart. It reports how long
// after the instant just before each command's POST every screen of
// every hall received the state with it (so the figure includes the HTTP
// round trip, the province's fsync, the link's delay, the hall's own
// commit and its fan-out), and what the halls cost the province in CPU
// and memory, over a province with no hall driven the same way.
//
//	go test -run '^$' -bench BenchmarkVenue -benchtime 1x ./cmd/phatdong/
//
// One iteration is the whole scenario, whatever b.N.
func BenchmarkVenueFanout(b *testing.B) {
	for _, c := range []struct{ halls, screens int }{{20, 50}, {5, 200}} {
		b.Run(fmt.Sprintf("%dx%d", c.halls, c.screens), func(b *testing.B) {
			benchVenueFanout(b, c.halls, c.screens)
		})
	}
}

func benchVenueFanout(b *testing.B, nHalls, perHall int) {
	// The province alone, driven as below: what the halls add is the
	// difference.
	alone := launch(b, filepath.Join(b.TempDir(), "alone.db"))
	for range benchWarmup {
		alone.must(b, "/api/v1/commands", testToken, addOne)
	}
	aloneUse, _ := drive(b, alone, func(time.Time) {}, alone.cmd.Process.Pid)
	base, baseHeap := aloneUse[0], heapLiveKiB(b, alone)
	alone.kill(b)

	halls := make([]*hallOnProxy, nHalls)
	for i := range halls {
		halls[i] = &hallOnProxy{name: fmt.Sprintf("Điểm cầu %d", i+1), oneWay: benchOneWay}
	}
	province := startHalls(b, 0, halls...)
	var screens []*markScreen
	for _, h := range halls {
		for j := range perHall {
			screens = append(screens, dialMarkScreen(b, h.proc, fmt.Sprintf("Màn hình %d", j+1)))
		}
	}
	for range benchWarmup {
		province.must(b, "/api/v1/commands", testToken, addOne)
	}
	waitScreens(b, screens, benchWarmup)

	// The province, then every hall, then this process (its screens and
	// the delaying proxies).
	pids := []int{province.cmd.Process.Pid}
	for _, h := range halls {
		pids = append(pids, h.proc.cmd.Process.Pid)
	}
	pids = append(pids, os.Getpid())
	sent := make([]time.Time, 0, benchCommands)
	use, posts := drive(b, province, func(at time.Time) { sent = append(sent, at) }, pids...)
	prov, hallUse, test := use[0], use[1:nHalls+1], use[nHalls+1]
	heap := heapLiveKiB(b, province)
	waitScreens(b, screens, benchWarmup+benchCommands)

	var lat []float64 // ms
	for _, s := range screens {
		for k, at := range sent {
			got := s.got[benchWarmup+k+1].Load()
			lat = append(lat, float64(got-at.UnixNano())/1e6)
		}
	}
	slices.Sort(lat)
	var hallCPU, hallRSS float64
	for _, u := range hallUse {
		hallCPU += u.cpuMsPerS
		hallRSS += u.rssKiB
	}
	b.ReportMetric(quantile(lat, 0.50), "p50_ms")
	b.ReportMetric(quantile(lat, 0.99), "p99_ms")
	b.ReportMetric(lat[len(lat)-1], "max_ms")
	b.ReportMetric(prov.cpuMsPerS, "cpu_ms_per_s")
	b.ReportMetric(prov.rssKiB, "rss_kib")
	b.ReportMetric(base.cpuMsPerS, "alone_cpu_ms_per_s")
	b.ReportMetric(base.rssKiB, "alone_rss_kib")
	b.ReportMetric((prov.cpuMsPerS-base.cpuMsPerS)/float64(nHalls), "cpu_ms_per_s_per_venue")
	b.ReportMetric((prov.rssKiB-base.rssKiB)/float64(nHalls), "rss_kib_per_venue")
	b.ReportMetric((heap-baseHeap)/float64(nHalls), "heap_kib_per_venue")
	b.ReportMetric(quantile(posts, 0.50), "post_p50_ms")
	b.ReportMetric(hallCPU/float64(nHalls), "hall_cpu_ms_per_s")
	b.ReportMetric(hallRSS/float64(nHalls), "hall_rss_kib")
	b.ReportMetric(test.cpuMsPerS, "screens_cpu_ms_per_s")
	b.ReportMetric(prov.cpuMsPerS+hallCPU+test.cpuMsPerS, "all_cpu_ms_per_s")
	b.Logf("live heap: province %.0f KiB, alone %.0f KiB", heap, baseHeap)
	b.Logf("%d halls x %d screens: %d latencies (%d commands %v apart, %d warm-up ones not counted)",
		nHalls, perHall, len(lat), benchCommands, benchGap, benchWarmup)
}

// drive sends the measured commands to p, benchGap apart, calling sent
// with the instant just before each POST, and returns the usage of each
// of pids from just before the first command to the end of the gap after
// the last, and how long each POST took to be answered (ms, sorted).
func drive(b *testing.B, p *proc, sent func(time.Time), pids ...int) ([]usage, []float64) {
	b.Helper()
	w := openWindow(b, pids...)
	var posts []float64
	start := time.Now()
	for k := range benchCommands {
		time.Sleep(time.Until(start.Add(time.Duration(k) * benchGap)))
		at := time.Now()
		sent(at)
		p.must(b, "/api/v1/commands", testToken, addOne)
		posts = append(posts, float64(time.Since(at).Microseconds())/1000)
	}
	time.Sleep(time.Until(start.Add(benchCommands * benchGap)))
	slices.Sort(posts)
	return w.close(b), posts
}

// heapLiveKiB is p's live heap as of its last garbage collection, from
// its /metrics.
func heapLiveKiB(b *testing.B, p *proc) float64 {
	b.Helper()
	code, body := p.call("GET", "/metrics", "", "")
	for line := range strings.SplitSeq(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "phatdong_heap_live_bytes "); ok {
			bytes, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return bytes / 1024
			}
		}
	}
	b.Fatalf("metrics: %d, no phatdong_heap_live_bytes", code)
	return 0
}

// waitScreens waits until every screen has seen the state of the
// province's n-th add-time command, and fails the benchmark naming how
// many have not.
func waitScreens(b *testing.B, screens []*markScreen, n int64) {
	b.Helper()
	deadline := time.Now().Add(60 * time.Second) // a hang guard, not a speed figure
	for {
		behind := 0
		for _, s := range screens {
			if s.seen.Load() < n {
				behind++
			}
		}
		if behind == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d screens never saw the state of command %d", behind, len(screens), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quantile is the q-quantile of sorted (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	i := int(float64(len(sorted))*q+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// markScreen is a light stage screen: it reads the hall's states and
// notes when the first one counting each add-time command arrived. It
// does not synchronise its clock; every process shares this machine's.
type markScreen struct {
	ws   *websocket.Conn
	seen atomic.Int64   // the most commands a state it received counted
	got  []atomic.Int64 // by command count: arrival, Unix ns
}

func dialMarkScreen(b *testing.B, hall *proc, name string) *markScreen {
	b.Helper()
	c := protocoltest.Dial(b, "ws"+strings.TrimPrefix(hall.base, "http")+"/ws", protocoltest.Stage(name))
	_ = c.WS.SetReadDeadline(time.Time{}) // Dial's deadline was for the welcome
	s := &markScreen{ws: c.WS, got: make([]atomic.Int64, benchWarmup+benchCommands+1)}
	go s.read()
	return s
}

// read runs until the socket closes (Dial closes it when the benchmark
// ends).
func (s *markScreen) read() {
	for {
		_, data, err := s.ws.ReadMessage()
		at := time.Now().UnixNano()
		if err != nil {
			return
		}
		var m struct {
			Type  string `json:"type"`
			State struct {
				Timer struct {
					AddedMs int64 `json:"addedMs"`
				} `json:"timer"`
			} `json:"state"`
		}
		if json.Unmarshal(data, &m) != nil || m.Type != "state" {
			continue
		}
		n := min(m.State.Timer.AddedMs/1000, int64(len(s.got)-1))
		// A state may count several commands at once: each gets the
		// first state that counted it.
		for k := s.seen.Load() + 1; k <= n; k++ {
			s.got[k].Store(at)
		}
		if n > s.seen.Load() {
			s.seen.Store(n)
		}
	}
}

// usage is a process's CPU time per second of a window and its resident
// memory at the window's end.
type usage struct {
	cpuMsPerS float64
	rssKiB    float64
}

// window is a span of time over which processes' CPU time is measured.
type window struct {
	at   time.Time
	pids []int
	cpu  []time.Duration // at the start, by pid
}

func openWindow(b *testing.B, pids ...int) *window {
	b.Helper()
	w := &window{at: time.Now(), pids: pids}
	for _, pid := range pids {
		w.cpu = append(w.cpu, cpuOf(b, pid))
	}
	return w
}

// close is each process's usage over the window, in the order of pids.
func (w *window) close(b *testing.B) []usage {
	b.Helper()
	secs := time.Since(w.at).Seconds()
	out := make([]usage, len(w.pids))
	for i, pid := range w.pids {
		ms := float64((cpuOf(b, pid) - w.cpu[i]).Microseconds()) / 1000
		out[i] = usage{cpuMsPerS: ms / secs, rssKiB: rssOf(b, pid)}
	}
	return out
}

// cpuOf is the user and system CPU time pid has used, from /proc.
func cpuOf(b *testing.B, pid int) time.Duration {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatalf("cpu of %d: %v", pid, err)
	}
	// The fields after the command's name, which is in parentheses:
	// state is field 3, utime 14 and stime 15.
	rest := string(data[strings.LastIndexByte(string(data), ')')+2:])
	f := strings.Fields(rest)
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("cpu of %d: /proc/%d/stat: %q", pid, pid, data)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// rssOf is pid's resident memory (VmRSS) in KiB, from /proc.
func rssOf(b *testing.B, pid int) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("rss of %d: %v", pid, err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatalf("rss of %d: %q", pid, line)
			}
			return kib
		}
	}
	b.Fatalf("rss of %d: no VmRSS in /proc/%d/status", pid, pid)
	return 0
}
