//go:build linux

package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestKioskOpensOnTheStandbyWhenThePrimaryIsDown runs deploy/kiosk's
// script with a stand-in browser that records what it was asked to open:
// with the primary down and the standby up, the page opens on the standby
// (which then follows the primary by itself); with both up, on the primary.
func TestKioskOpensOnTheStandbyWhenThePrimaryIsDown(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the kiosk script needs curl")
	}
	up := func() *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		t.Cleanup(s.Close)
		return s
	}
	down := "http://127.0.0.1:9" // discard port: nothing listens
	primary, standby := up(), up()
	tests := []struct {
		name, primary, standby, want string
	}{
		{"the primary up", primary.URL, standby.URL, primary.URL + "/stage?name="},
		{"the primary down", down, standby.URL, standby.URL + "/stage?name="},
		{"no standby given", primary.URL, "", primary.URL + "/stage?name="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opened := filepath.Join(dir, "opened")
			browser := filepath.Join(dir, "browser")
			// The stand-in records its arguments and stops the script.
			script := "#!/bin/sh\necho \"$@\" > " + opened + "\nkill $PPID\n"
			if err := os.WriteFile(browser, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "../../deploy/kiosk/phatdong-kiosk.sh")
			cmd.Env = append(os.Environ(), "PHATDONG_URL="+tc.primary, "PHATDONG_STANDBY_URL="+tc.standby,
				"CHROMIUM="+browser, "XDG_CACHE_HOME="+dir, "DISPLAY=")
			_ = cmd.Run()
			got, err := os.ReadFile(opened)
			if err != nil {
				t.Fatalf("the browser was not started: %v", err)
			}
			if !strings.Contains(string(got), "--kiosk "+tc.want) {
				t.Fatalf("the browser opened %q, want %s…", got, tc.want)
			}
		})
	}
}
