package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
)

// testCertCommand is `phatdong cert` on a machine called hoitruong at
// 10.0.0.2, writing its report to out.
func testCertCommand(out io.Writer, env map[string]string) certCommand {
	return certCommand{
		getenv: func(k string) string { return env[k] }, stdout: out, stderr: io.Discard,
		hostname: func() (string, error) { return "hoitruong", nil },
		lanIPs:   func() []net.IP { return []net.IP{net.IPv4(10, 0, 0, 2)} },
		now:      time.Now,
	}
}

func TestCertCommandReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chung chi") // a space: the flags are quoted
	var out bytes.Buffer
	if err := testCertCommand(&out, nil).run([]string{"--dir", dir, "--hosts", "du-phong.lan,10.0.0.3"}); err != nil {
		t.Fatal(err)
	}
	ca := readCert(t, filepath.Join(dir, caCertFile))
	for _, want := range []string{
		filepath.Join(dir, caCertFile), filepath.Join(dir, caKeyFile), filepath.Join(dir, serverKeyFile),
		"CA riêng (tạo mới)",
		display.Fingerprint(ca.Raw),
		"10.0.0.2, hoitruong, hoitruong.local, localhost, 127.0.0.1, ::1, du-phong.lan, 10.0.0.3",
		"phatdong --tls-cert '" + filepath.Join(dir, serverCertFile) + "' --tls-key '" + filepath.Join(dir, serverKeyFile) +
			"' --tls-ca '" + filepath.Join(dir, caCertFile) + "'",
		"/trust",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if ca.Subject.CommonName != "phatdong CA (hoitruong)" {
		t.Errorf("CA named %q", ca.Subject.CommonName)
	}

	out.Reset()
	if err := testCertCommand(&out, nil).run([]string{"--dir", dir}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "giữ nguyên từ lần trước") || !strings.Contains(out.String(), display.Fingerprint(ca.Raw)) {
		t.Errorf("the second run does not say it kept the CA:\n%s", out.String())
	}
}

func TestCertCommandFolder(t *testing.T) {
	base := t.TempDir()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		dir  string // where ca.pem must be
		out  string // in the report
		err  string
	}{
		{name: "next to --db", args: []string{"--db", filepath.Join(base, "a", "show.db")}, dir: filepath.Join(base, "a", "tls"),
			out: "phatdong --db " + filepath.Join(base, "a", "show.db") + " --tls-cert "},
		{name: "next to PHATDONG_DB", env: map[string]string{"PHATDONG_DB": filepath.Join(base, "b", "phatdong.db")}, dir: filepath.Join(base, "b", "tls")},
		{name: "--dir wins", args: []string{"--db", filepath.Join(base, "c", "x.db"), "--dir", filepath.Join(base, "d")}, dir: filepath.Join(base, "d")},
		{name: "bad host", args: []string{"--dir", filepath.Join(base, "e"), "--hosts", "http://x"}, err: "--hosts"},
		{name: "stray argument", args: []string{"now"}, err: "unexpected argument"},
		{name: "help", args: []string{"-h"}, err: flag.ErrHelp.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := testCertCommand(&out, tt.env).run(tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				if tt.name == "bad host" {
					if _, serr := os.Stat(filepath.Join(base, "e")); !errors.Is(serr, os.ErrNotExist) {
						t.Error("a refused run still made the folder")
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(tt.dir, caCertFile)); err != nil {
				t.Errorf("no CA where expected: %v", err)
			}
			if !strings.Contains(out.String(), tt.out) {
				t.Errorf("the report lacks %q:\n%s", tt.out, out.String())
			}
		})
	}
}
