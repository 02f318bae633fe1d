package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseGap(t *testing.T) {
	for _, tc := range []struct {
		in     string
		lo, hi time.Duration
		bad    bool
	}{
		{in: "0"},
		{in: "500ms", lo: 500 * time.Millisecond, hi: 500 * time.Millisecond},
		{in: "0.4-0.7s", lo: 400 * time.Millisecond, hi: 700 * time.Millisecond},
		{in: "400ms-700ms", lo: 400 * time.Millisecond, hi: 700 * time.Millisecond},
		{in: "1-2s", lo: time.Second, hi: 2 * time.Second},
		{in: "0.7-0.4s", bad: true},
		{in: "soon", bad: true},
		{in: "-1s", bad: true},
	} {
		lo, hi, err := parseGap(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("parseGap(%q) = %v, %v; want an error", tc.in, lo, hi)
			}
			continue
		}
		if err != nil || lo != tc.lo || hi != tc.hi {
			t.Errorf("parseGap(%q) = %v, %v, %v; want %v, %v", tc.in, lo, hi, err, tc.lo, tc.hi)
		}
	}
}

func TestParseState(t *testing.T) {
	msg := `{"type":"state","serverTime":1744600000001.25,"state":{"seq":42,"showRev":3,"show":{"title":"x"}}}`
	seq, st, ok := parseState([]byte(msg))
	if !ok || seq != 42 || st != 1744600000001.25 {
		t.Fatalf("parseState = %d, %v, %v", seq, st, ok)
	}
	if _, _, ok := parseState([]byte(`{"type":"state","state":{}}`)); ok {
		t.Fatal("a state without seq parsed")
	}
}

func TestSummarize(t *testing.T) {
	xs := make([]float64, 0, 200)
	for i := 200; i >= 1; i-- {
		xs = append(xs, float64(i))
	}
	s := summarize(xs)
	if s.n != 200 || s.min != 1 || s.p50 != 100 || s.p99 != 198 || s.max != 200 {
		t.Fatalf("summarize = %+v", s)
	}
	if s := summarize(nil); s.n != 0 {
		t.Fatalf("summarize(nil) = %+v", s)
	}
}

func TestParseFlags(t *testing.T) {
	t.Setenv("PHATDONG_OPERATOR_TOKEN", "")
	t.Setenv("PHATDONG_BUTTON_KEY", "")
	cfg, err := parseFlags([]string{"--url", "http://127.0.0.1:8090/", "--token", "t", "--clients", "10", "--gap", "0"})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.wsURL(); got != "ws://127.0.0.1:8090/ws" {
		t.Fatalf("wsURL = %q", got)
	}
	if cfg.syncClients != 10 || !strings.HasPrefix(cfg.gapLabel(), "back-to-back") || !sameHost(cfg) {
		t.Fatalf("cfg = %+v", cfg)
	}
	for _, args := range [][]string{
		{"--token", "t", "--url", "ftp://x"},
		{"--url", "http://x:1"},
		{"--token", "t", "--press"},
		{"--token", "t", "--clients", "0"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func TestParseSoakFlags(t *testing.T) {
	t.Setenv("PHATDONG_OPERATOR_TOKEN", "")
	t.Setenv("PHATDONG_BUTTON_KEY", "")
	for _, tc := range []struct {
		args            []string
		soak, step, per time.Duration
		bad             bool
	}{
		{args: nil, step: 2 * time.Second, per: 30 * time.Second},
		{args: []string{"--soak", "10m"}, soak: 10 * time.Minute, step: 2 * time.Second, per: 30 * time.Second},
		{args: []string{"--soak", "3s", "--step", "200ms", "--fire-every", "1s"}, soak: 3 * time.Second, step: 200 * time.Millisecond, per: time.Second},
		{args: []string{"--soak", "1m", "--fire-every", "0"}, soak: time.Minute, step: 2 * time.Second},
		{args: []string{"--soak", "-1s"}, bad: true},
		{args: []string{"--soak", "1m", "--step", "0"}, bad: true},
		{args: []string{"--soak", "1m", "--step", "5ms"}, bad: true},
		{args: []string{"--soak", "1m", "--fire-every", "-1s"}, bad: true},
		{args: []string{"--soak", "1m", "--fire-every", "50ms"}, bad: true},
		{args: []string{"--soak", "1m", "--press", "--button-key", "k"}, bad: true},
		{args: []string{"--soak", "often"}, bad: true},
	} {
		cfg, err := parseFlags(append([]string{"--token", "t"}, tc.args...))
		if tc.bad {
			if err == nil {
				t.Errorf("parseFlags(%q) accepted", tc.args)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tc.args, err)
			continue
		}
		if cfg.soak != tc.soak || cfg.step != tc.step || cfg.fireEvery != tc.per {
			t.Errorf("parseFlags(%q): soak %v, step %v, fire-every %v; want %v, %v, %v", tc.args, cfg.soak, cfg.step, cfg.fireEvery, tc.soak, tc.step, tc.per)
		}
	}
}
