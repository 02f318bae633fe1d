package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/cmd/internal/version"
)

func TestDoubleClick(t *testing.T) {
	tests := []struct {
		goos     string
		noArgs   bool
		flagOpen bool
		want     bool
	}{
		{"windows", true, false, true},
		{"windows", false, false, false},
		{"windows", false, true, true},
		{"linux", true, false, false},
		{"darwin", true, false, false},
		{"linux", false, true, true},
	}
	for _, tt := range tests {
		got := doubleClick(Config{Open: tt.flagOpen, DB: "x.db"}, tt.goos, tt.noArgs)
		if got.Open != tt.want {
			t.Errorf("doubleClick(%s, noArgs=%v, --open=%v).Open = %v, want %v", tt.goos, tt.noArgs, tt.flagOpen, got.Open, tt.want)
		}
		if got.DB != "x.db" || got.ShowFile != "" {
			t.Errorf("doubleClick changed more than Open: %+v", got)
		}
	}
}

func TestOpenCommand(t *testing.T) {
	const url = "http://localhost:8080/mc#token=abc&x=1"
	tests := []struct {
		goos, name string
		args       []string
	}{
		{"windows", "rundll32", []string{"url.dll,FileProtocolHandler", url}},
		{"darwin", "open", []string{url}},
		{"linux", "xdg-open", []string{url}},
		{"freebsd", "xdg-open", []string{url}},
	}
	for _, tt := range tests {
		name, args := openCommand(tt.goos, url)
		if name != tt.name || !slices.Equal(args, tt.args) {
			t.Errorf("openCommand(%s) = %s %q, want %s %q", tt.goos, name, args, tt.name, tt.args)
		}
	}
}

func TestOpenFlag(t *testing.T) {
	cfg, err := parseConfig([]string{"--open"}, func(string) string { return "" }, nil)
	if err != nil || !cfg.Open {
		t.Fatalf("--open: Open=%v err=%v", cfg.Open, err)
	}
	cfg, err = parseConfig(nil, func(string) string { return "" }, nil)
	if err != nil || cfg.Open {
		t.Fatalf("no flag: Open=%v err=%v", cfg.Open, err)
	}
}

func TestOpenMCCallsOpenerWithMCLink(t *testing.T) {
	r := start(t, testConfig(t, filepath.Join(t.TempDir(), "s.db")))
	var got []string
	r.OpenMC(func(url string) error { got = append(got, url); return nil }, quiet)
	want := "http://" + r.Addr().String() + "/mc#token=" + testToken
	if len(got) != 1 || got[0] != want {
		t.Fatalf("opener called with %q, want [%q]", got, want)
	}
	// The link answers: the MC page is served there.
	if code, body := call(t, "GET", strings.SplitN(got[0], "#", 2)[0], "", ""); code != 200 || !strings.Contains(string(body), "<html") {
		t.Errorf("GET the opened link: %d", code)
	}
	// An opener that fails does not stop the server.
	r.OpenMC(func(string) error { return errors.New("no browser") }, slog.New(slog.DiscardHandler))
	if code, _ := call(t, "GET", r.url("/healthz"), "", ""); code != 200 {
		t.Errorf("healthz after a failed open: %d", code)
	}
}

func TestHealthzCarriesTheVersion(t *testing.T) {
	r := start(t, testConfig(t, filepath.Join(t.TempDir(), "s.db")))
	code, body := call(t, "GET", r.url("/healthz"), "", "")
	var h struct{ Version string }
	if err := json.Unmarshal(body, &h); err != nil || code != 200 {
		t.Fatalf("healthz: %d %s %v", code, body, err)
	}
	if h.Version != version.String() || h.Version == "" {
		t.Errorf("healthz version %q, want %q", h.Version, version.String())
	}
}

func TestHoldOnError(t *testing.T) {
	tests := []struct {
		goos   string
		noArgs bool
		holds  bool
	}{
		{"windows", true, true},
		{"windows", false, false},
		{"linux", true, false},
		{"darwin", true, false},
	}
	for _, tt := range tests {
		in := strings.NewReader("\nmore")
		var out strings.Builder
		holdOnError(tt.goos, tt.noArgs, in, &out)
		if held := out.Len() > 0; held != tt.holds {
			t.Errorf("%s noArgs=%v: held=%v, want %v", tt.goos, tt.noArgs, held, tt.holds)
		}
		if tt.holds && (!strings.Contains(out.String(), "Nhấn Enter") || in.Len() == len("\nmore")) {
			t.Errorf("%s: did not wait for Enter: %q", tt.goos, out.String())
		}
	}
}
