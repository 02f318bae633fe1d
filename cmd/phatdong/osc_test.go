package main

import (
	"io"
	"strings"
	"testing"
)

func TestOSCFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantAddr  string
		wantAllow string
		wantErr   string
	}{
		{name: "off by default"},
		{name: "on with a sender", args: []string{"--osc-addr", ":8000", "--osc-allow", "192.168.1.20,10.0.0.0/24"}, wantAddr: ":8000", wantAllow: "192.168.1.20,10.0.0.0/24"},
		{name: "from the environment", env: map[string]string{"PHATDONG_OSC_ADDR": "127.0.0.1:9000", "PHATDONG_OSC_ALLOW": "127.0.0.1"}, wantAddr: "127.0.0.1:9000", wantAllow: "127.0.0.1"},
		{name: "on, nobody allowed", args: []string{"--osc-addr", ":8000"}, wantAddr: ":8000"},
		{name: "off spelled out", args: []string{"--osc-addr", "OFF"}},
		{name: "bad address", args: []string{"--osc-addr", "8000"}, wantErr: "--osc-addr"},
		{name: "bad sender", args: []string{"--osc-addr", ":8000", "--osc-allow", "pi.local"}, wantErr: "--osc-allow"},
		{name: "allow without addr", args: []string{"--osc-allow", "127.0.0.1"}, wantErr: "needs --osc-addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.OSCAddr != tt.wantAddr || cfg.OSCAllow.String() != tt.wantAllow {
				t.Fatalf("osc %q allow %q, want %q %q", cfg.OSCAddr, cfg.OSCAllow.String(), tt.wantAddr, tt.wantAllow)
			}
		})
	}
}
