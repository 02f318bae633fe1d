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

// TestKioskFindsTheServerByDiscovery: with PHATDONG_URL=auto the kiosk
// script asks `phatdong-button discover --primary` (here a stand-in that
// checks its arguments) and opens the page on the server it names.
func TestKioskFindsTheServerByDiscovery(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("the kiosk script needs curl")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	opened := filepath.Join(dir, "opened")
	browser := filepath.Join(dir, "browser")
	discover := filepath.Join(dir, "discover")
	write := func(path, script string) {
		if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(browser, "#!/bin/sh\necho \"$@\" > "+opened+"\nkill $PPID\n")
	write(discover, "#!/bin/sh\n[ \"$1 $2\" = \"discover --primary\" ] && echo "+srv.URL+"\n")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "../../deploy/kiosk/phatdong-kiosk.sh")
	cmd.Env = append(os.Environ(), "PHATDONG_URL=auto", "PHATDONG_DISCOVER="+discover,
		"CHROMIUM="+browser, "XDG_CACHE_HOME="+dir, "DISPLAY=")
	_ = cmd.Run()
	got, err := os.ReadFile(opened)
	if err != nil {
		t.Fatalf("the browser was not started: %v", err)
	}
	if want := "--kiosk " + srv.URL + "/stage?name="; !strings.Contains(string(got), want) {
		t.Fatalf("the browser opened %q, want %s…", got, want)
	}
}
