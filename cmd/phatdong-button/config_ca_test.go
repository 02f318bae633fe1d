package main

import (
	"io"
	"strings"
	"testing"
)

func TestLoadConfigCA(t *testing.T) {
	tests := []struct {
		name, file string
		args       []string
		env        map[string]string
		server, ca string // wanted
		err        string
	}{
		{name: "in the file, with an https server", file: "server = https://10.0.0.2:8443\nkey = k\nbutton = b\nca = /etc/phatdong/ca.pem\n",
			server: "wss://10.0.0.2:8443/ws", ca: "/etc/phatdong/ca.pem"},
		{name: "from the environment", file: "server = wss://hoitruong.local:8443/ws\nkey = k\nbutton = b\n",
			env: map[string]string{"PHATDONG_CA": " /srv/ca.pem "}, server: "wss://hoitruong.local:8443/ws", ca: "/srv/ca.pem"},
		{name: "a flag wins", file: "server = wss://x:1\nkey = k\nbutton = b\nca = /file.pem\n", args: []string{"--ca", "/flag.pem"},
			env: map[string]string{"PHATDONG_CA": "/env.pem"}, server: "wss://x:1/ws", ca: "/flag.pem"},
		{name: "none: the system's CAs", file: "server = wss://x:1\nkey = k\nbutton = b\n", server: "wss://x:1/ws"},
		{name: "a CA for a clear-text server", file: "server = 10.0.0.2:8080\nkey = k\nbutton = b\nca = /etc/phatdong/ca.pem\n",
			err: "not encrypted: write wss://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(append([]string{"--config", writeFile(t, tt.file)}, tt.args...), env(tt.env), io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Server != tt.server || c.CA != tt.ca {
				t.Errorf("server %q ca %q, want %q %q", c.Server, c.CA, tt.server, tt.ca)
			}
		})
	}
}
