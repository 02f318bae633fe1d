package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDebReadsBackWithDpkg packs the server's and the agent's packages
// around stand-in binaries and reads them back as the self-check does;
// a package checked against another version or architecture fails.
func TestDebReadsBackWithDpkg(t *testing.T) {
	r := &release{repo: "../..", version: "v1.2.3-rc.1", stage: t.TempDir(), jobs: 1, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, d := range debs() {
		dir := r.binDir(d.p)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, c := range d.p.cmds {
			if err := os.WriteFile(filepath.Join(dir, c), []byte("#!/bin/sh\necho "+c+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	var names []string
	for _, d := range debs() {
		name, err := r.deb(d)
		if err != nil {
			t.Fatalf("%s %s: %v", d.product, d.arch, err)
		}
		names = append(names, name)
	}
	for _, d := range debs() {
		if err := r.checkDeb(names, d, "1.2.3~rc.1"); err != nil {
			t.Errorf("%s %s: %v", d.product, d.arch, err)
		}
	}
	server := debs()[0]
	if err := r.checkDeb(names, server, "1.2.3"); err == nil || !strings.Contains(err.Error(), "Version: 1.2.3") {
		t.Errorf("checked against the wrong version: %v", err)
	}
	server.arch = "riscv64"
	if err := r.checkDeb(names, server, "1.2.3~rc.1"); err == nil {
		t.Error("a package of an architecture never built passed")
	}
	if !strings.Contains(strings.Join(names, " "), "phatdong-button_1.2.3~rc.1_armhf.deb") {
		t.Errorf("package names: %q", names)
	}
}
