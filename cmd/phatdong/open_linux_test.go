package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The real binary with --open hands the MC link to the system's opener
// (here a stand-in xdg-open first on PATH that records its arguments).
func TestOpenFlagRunsTheSystemOpener(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "opened")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + record + ".tmp && mv " + record + ".tmp " + record + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--addr", "127.0.0.1:0", "--nats-addr", "off", "--open"}, serverArgs(filepath.Join(dir, "s.db"))...)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	p := startProc(t, cmd)
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(record)
		if err == nil {
			if got, want := strings.TrimSpace(string(data)), p.base+"/mc#token="+testToken; got != want {
				t.Fatalf("xdg-open got %q, want %q", got, want)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the server never ran xdg-open")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
