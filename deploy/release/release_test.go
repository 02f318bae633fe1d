package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"v1.2.3", "1.2.3", true},
		{"v0.1.0-rc.1", "0.1.0-rc.1", true},
		{"v10.0.0-beta2", "10.0.0-beta2", true},
		{"1.2.3", "", false},
		{"v1.2", "", false},
		{"v01.2.3", "", false},
		{"v1.2.3+meta", "", false},
		{"v1.2.3-", "", false},
		{"v1.2.3 ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := parseVersion(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseVersion(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
	}{
		{[]string{"--version", "v1.2.3", "--dry-run"}, true},
		{[]string{"--version", "v1.2.3", "--out", "dist"}, true},
		{[]string{"--version", "v1.2.3"}, false},
		{[]string{"--version", "v1.2.3", "--out", "dist", "--dry-run"}, false},
		{[]string{"--dry-run"}, false},
		{[]string{"--version", "v1.2.3", "--dry-run", "--jobs", "0"}, false},
		{[]string{"--version", "v1.2.3", "--dry-run", "extra"}, false},
	}
	for _, tt := range tests {
		if _, err := parseFlags(tt.args, io.Discard); (err == nil) != tt.ok {
			t.Errorf("parseFlags(%q): %v, want ok=%v", tt.args, err, tt.ok)
		}
	}
}

// TestArchivesAndSumsReadBack writes both kinds of archive and checks
// that the self-check finds what is in them, and what is missing or
// tampered with.
func TestArchivesAndSumsReadBack(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "phatdong-src")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	members := []member{{name: "phatdong", src: bin, exec: true}, {name: "README.txt", data: []byte("hi")}}
	for _, kind := range []string{"x.tar.gz", "x.zip"} {
		path := filepath.Join(dir, kind)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		write := writeTarGz
		if strings.HasSuffix(kind, ".zip") {
			write = writeZip
		}
		if err := write(f, "top/", members); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := checkArchive(path, "top/", []string{"phatdong", "README.txt"}); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
		if err := checkArchive(path, "top/", []string{"phatdong-load"}); err == nil {
			t.Errorf("%s: a missing binary passed", kind)
		}
	}
	names := []string{"x.tar.gz", "x.zip"}
	if err := writeSums(dir, names); err != nil {
		t.Fatal(err)
	}
	if err := verifySums(dir, names); err != nil {
		t.Fatal(err)
	}
	if err := verifySums(dir, append(names, "y.deb")); err == nil {
		t.Error("SHA256SUMS without y.deb passed")
	}
	if err := os.WriteFile(filepath.Join(dir, "x.zip"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifySums(dir, names); err == nil || !strings.Contains(err.Error(), "x.zip") {
		t.Errorf("a tampered archive: %v", err)
	}
}

func TestEveryArtefactIsPlanned(t *testing.T) {
	var names []string
	for _, a := range archives() {
		names = append(names, a.fileName("v1.2.3"))
	}
	want := []string{
		"phatdong_1.2.3_windows_amd64.zip", "phatdong_1.2.3_darwin_arm64.tar.gz", "phatdong_1.2.3_darwin_amd64.tar.gz",
		"phatdong_1.2.3_linux_amd64.tar.gz", "phatdong_1.2.3_linux_arm64.tar.gz", "phatdong-button_1.2.3_linux_arm64.tar.gz",
		"phatdong-button_1.2.3_linux_armv6.tar.gz",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("archives:\n got %q\nwant %q", names, want)
	}
	if n := len(debs()); n != 4 {
		t.Errorf("%d .deb packages, want 4", n)
	}
}
