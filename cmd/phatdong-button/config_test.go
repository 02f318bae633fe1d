package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/button"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "button.conf")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigPrecedence(t *testing.T) {
	path := writeFile(t, "\ufeff# Nút 1\n"+
		"server = 10.0.0.2:8080\n"+
		"key    = from-file\n"+
		"button = nut-1\n"+
		"name   = \"Nút 1 – Chủ tịch UBND tỉnh\"\n"+
		"led    = 27\n"+
		"filter = 8ms\n"+
		"\n"+
		"lockout = 250ms\n")
	c, err := loadConfig(
		[]string{"--config", path, "--lockout", "400ms", "--simulate"},
		env(map[string]string{"PHATDONG_BUTTON_KEY": "from-env", "PHATDONG_LOCKOUT": "350ms", "PHATDONG_MAX_AGE": "2s"}),
		io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := button.AgentConfig{
		Server: "ws://10.0.0.2:8080/ws", Key: "from-env", ButtonID: "nut-1", Name: "Nút 1 – Chủ tịch UBND tỉnh",
		Pin: "GPIO17", LEDPin: "GPIO27", Filter: 8 * time.Millisecond, Lockout: 400 * time.Millisecond,
		MaxAge: 2 * time.Second, Simulate: true,
	}
	if c != want {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestLoadConfigFromEnvironmentOnly(t *testing.T) {
	path := writeFile(t, "server = https://show.local\nkey = k\nbutton = nut-2\n")
	c, err := loadConfig(nil, env(map[string]string{envConfig: path, "PHATDONG_DEBUG": "yes"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Server != "wss://show.local/ws" || c.Name != "nut-2" || c.MaxAge != button.DefaultMaxAge || !c.Debug || c.LEDPin != "" {
		t.Errorf("got %+v", c)
	}
}

func TestLoadConfigStandby(t *testing.T) {
	path := writeFile(t, "server = wss://10.0.0.11:8443/ws\nstandby = 10.0.0.12:8443\nkey = k\nbutton = nut-1\n")
	c, err := loadConfig([]string{"--config", path}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Standby != "wss://10.0.0.12:8443/ws" {
		t.Errorf("standby %q, want wss://10.0.0.12:8443/ws (the server's scheme)", c.Standby)
	}
	c, err = loadConfig([]string{"--config", path}, env(map[string]string{"PHATDONG_STANDBY": "https://b.local:8443"}), io.Discard)
	if err != nil || c.Standby != "wss://b.local:8443/ws" {
		t.Errorf("standby from the environment: %q, %v; want wss://b.local:8443/ws", c.Standby, err)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string // "" means no file
		args []string
		want []string // parts of the error
	}{
		{"nothing set", "", nil, []string{"no server", "no button key", "no button id"}},
		{"unknown key", "server = x:1\nkye = k\n", nil, []string{":2: unknown setting \"kye\""}},
		{"line without =", "server = x:1\njust text\n", nil, []string{"line 2: want key = value"}},
		{"key twice", "key = a\nkey = b\n", nil, []string{"line 2: key is already set on line 1"}},
		{"bad duration", "filter = 5\n", nil, []string{"filter", "not a duration"}},
		{"bad flag duration", "", []string{"--max-age", "soon"}, []string{"--max-age", "not a duration"}},
		{"filter too long", "server = x:1\nkey = k\nbutton = b\nfilter = 80ms\n", nil, []string{"Filter is 80ms"}},
		{"bad id", "server = x:1\nkey = k\nbutton = nút 1\n", nil, []string{"may only hold letters"}},
		{"control character in the name", "server = x:1\nkey = k\nbutton = b\nname = a\tb\n", nil, []string{"control characters"}},
		{"same pins", "server = x:1\nkey = k\nbutton = b\nled = GPIO17\n", nil, []string{"both GPIO17"}},
		{"max age too long", "server = x:1\nkey = k\nbutton = b\nmax_age = 30s\n", nil, []string{"max age is 30s"}},
		{"bad scheme", "server = ftp://x\nkey = k\nbutton = b\n", nil, []string{"scheme must be"}},
		{"standby is the server", "server = x:1\nstandby = ws://x:1/ws\nkey = k\nbutton = b\n", nil, []string{"standby ws://x:1/ws is the server itself"}},
		{"standby unencrypted", "server = wss://x:1/ws\nstandby = ws://y:1/ws\nkey = k\nbutton = b\n", nil, []string{"must both be ws:// or both wss://"}},
		{"key in the URL", "server = ws://x/ws?key=k\nkey = k\nbutton = b\n", nil, []string{"no user, query"}},
		{"positional argument", "", []string{"extra"}, []string{"unexpected argument \"extra\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append([]string{"--config", writeFile(t, tc.file)}, args...)
			}
			_, err := loadConfig(args, env(nil), io.Discard)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "config: ") && !strings.HasPrefix(err.Error(), "button: ") {
				t.Errorf("error %q says neither where it comes from (config: or button:)", err)
			}
		})
	}
}

func TestLoadConfigHelp(t *testing.T) {
	var out strings.Builder
	_, err := loadConfig([]string{"-h"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), s.env) {
			t.Errorf("the help does not mention %s", s.env)
		}
	}
}
