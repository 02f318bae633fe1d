package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestScreenMissed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		base     uint64
		arrivals []float64
		from, to uint64
		n        int
		first    []uint64
	}{
		{name: "saw all", base: 10, arrivals: []float64{1, 2, 3, 4}, from: 11, to: 13},
		{name: "a gap", base: 10, arrivals: []float64{1, 2, 0, 4, 0}, from: 11, to: 14, n: 2, first: []uint64{12, 14}},
		{name: "stopped early", base: 10, arrivals: []float64{1, 2}, from: 11, to: 14, n: 3, first: []uint64{12, 13, 14}},
		{name: "connected late", base: 13, arrivals: []float64{1, 2}, from: 11, to: 14, n: 2, first: []uint64{11, 12}},
		{name: "first few only", base: 1, arrivals: []float64{1}, from: 2, to: 100, n: 99, first: []uint64{2, 3, 4}},
		{name: "nothing to see", base: 10, arrivals: []float64{1}, from: 11, to: 10},
	} {
		s := &screen{base: tc.base, arrivals: tc.arrivals}
		n, first := s.missed(tc.from, tc.to, 3)
		if n != tc.n || !slices.Equal(first, tc.first) {
			t.Errorf("%s: missed = %d %v; want %d %v", tc.name, n, first, tc.n, tc.first)
		}
	}
}

func TestCloseFrameRecordsItsCode(t *testing.T) {
	for _, tc := range []struct {
		name  string
		frame []byte
		code  int32
	}{
		{name: "too slow", frame: []byte{0x88, 2, 0x03, 0xF5}, code: 1013},
		{name: "policy, with a reason", frame: []byte{0x88, 6, 0x03, 0xF0, 's', 'l', 'o', 'w'}, code: 1008},
		{name: "no status", frame: []byte{0x88, 0}, code: 1005},
		{name: "a state, then the close in two reads", frame: append([]byte{0x81, 3, 'a', 'b', 'c'}, 0x88, 2, 0x03, 0xE9), code: 1001},
	} {
		s := &screen{}
		open := true
		for i := range tc.frame { // one byte a read: partial frames too
			if open = s.feed(tc.frame[i:i+1], 1, 0); !open && i != len(tc.frame)-1 {
				t.Fatalf("%s: closed at byte %d of %d", tc.name, i+1, len(tc.frame))
			}
		}
		if open || s.closeCode.Load() != tc.code {
			t.Errorf("%s: open %v, code %d; want closed with %d", tc.name, open, s.closeCode.Load(), tc.code)
		}
		s.closedWith(1006) // the socket's end after the close frame
		if s.closeCode.Load() != tc.code {
			t.Errorf("%s: a later end replaced the code %d with %d", tc.name, tc.code, s.closeCode.Load())
		}
	}
}

func TestReportSeqsAndDropped(t *testing.T) {
	good := &screen{base: 10, arrivals: []float64{1, 2, 3, 4}}
	gap := &screen{base: 10, arrivals: []float64{1, 2, 0, 4}}
	cut := &screen{base: 10, arrivals: []float64{1, 2}}
	cut.closeCode.Store(1013)
	var out bytes.Buffer
	c := &crowd{screens: []*screen{good, gap, cut}}
	changes := []change{{seq: 11}, {seq: 13}}
	if reportSeqs(&out, c, changes, 11, 13) {
		t.Error("reportSeqs: every screen saw every seq, it says")
	}
	if reportDropped(&out, c) {
		t.Error("reportDropped: none dropped, it says")
	}
	if !reportSeqs(&out, &crowd{screens: []*screen{good}}, changes, 11, 13) || !reportDropped(&out, &crowd{screens: []*screen{good}}) {
		t.Error("a screen that saw everything and stayed is reported as failing")
	}
	for _, want := range []string{
		"seqs 11–13, 3 in all: 2 answered to the soak's commands, 1 made by the server itself",
		"every seq: 1 of 3 screens saw every one",
		"screen 2 missed 1: seq 12\n",
		"screen 3 missed 2: seq 12, 13 (its socket ended, code 1013)",
		"screens closed during the soak: 1, 1 with code 1013",
		"every seq: 1 of 1 screens saw every one",
		"screens closed during the soak: 0 ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestReportResources(t *testing.T) {
	before := map[string]float64{"process_resident_memory_bytes": 50 << 20, "go_goroutines": 1010, "process_open_fds": 1020,
		"phatdong_ws_dropped_total": 0, `phatdong_ws_dropped_total{reason="slow"}`: 0, "process_cpu_seconds_total": 10}
	after := map[string]float64{"process_resident_memory_bytes": 52 << 20, "go_goroutines": 1008, "process_open_fds": 1020,
		"phatdong_ws_dropped_total": 0, `phatdong_ws_dropped_total{reason="slow"}`: 0, "process_cpu_seconds_total": 16}
	var out bytes.Buffer
	if !reportResources(&out, before, after, time.Minute) {
		t.Error("no drops, and reportResources says there were")
	}
	after[`phatdong_ws_dropped_total{reason="silent"}`] = 2
	after["phatdong_ws_dropped_total"] = 2
	if reportResources(&out, before, after, time.Minute) {
		t.Error("two silent drops, and reportResources says none")
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`RSS +50\.0 MiB +52\.0 MiB +\+2\.0 MiB`),
		regexp.MustCompile(`goroutines +1010 +1008 +-2\n`),
		regexp.MustCompile(`open files +1020 +1020 +\+0\n`),
		regexp.MustCompile(`dropped reason="silent" +0 +2 +\+2\n`),
		regexp.MustCompile(`live heap \(last GC\) +– +– +\(not in /metrics\)`),
		regexp.MustCompile(`server CPU: 6\.0 s in 60 s, 10\.0 % of a core`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("the report does not match %q:\n%s", want, out.String())
		}
	}
}

// TestSoakAgainstARealServer runs a short soak: every screen must see every
// state, the fires must happen and reach every screen, and no screen may be
// dropped.
func TestSoakAgainstARealServer(t *testing.T) {
	base := testServer(t)
	cfg := config{reader: defaultReader, base: base, clients: 20, token: "operator-token-1",
		syncClients: 5, syncInterval: time.Second, settle: 300 * time.Millisecond, procs: 1, timeout: 5 * time.Second,
		soak: 3 * time.Second, step: 200 * time.Millisecond, fireEvery: time.Second}
	var out bytes.Buffer
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	for _, want := range []string{
		"every seq: 20 of 20 screens saw every one",
		"screens closed during the soak: 0 ",
		", 0 failed",
		"the fire event missing at 0 of",
		"made by the server itself",
		"RSS ",
		"open files ",
		`dropped reason="slow"`,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	m := regexp.MustCompile(`commands: (\d+) steps, (\d+) fires, (\d+) launch resets`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no command counts in the report:\n%s", report)
	}
	steps, _ := strconv.Atoi(m[1])
	fires, _ := strconv.Atoi(m[2])
	resets, _ := strconv.Atoi(m[3])
	// 3 s at 200 ms and 1 s: 15 steps and 3 fires if the ticks all come;
	// a loaded machine may lose a few.
	if steps < 8 || fires < 2 || resets < fires {
		t.Errorf("%d steps, %d fires, %d resets; want at least 8, 2 and one reset per fire:\n%s", steps, fires, resets, report)
	}
	if regexp.MustCompile(`dropped [^\n]*\+[1-9]`).MatchString(report) {
		t.Errorf("the server dropped sockets:\n%s", report)
	}
}
