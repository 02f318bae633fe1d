package main

import (
	"io"
	"testing"
)

func TestMDNSFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want bool
	}{
		{name: "on by default", want: true},
		{name: "off by flag", args: []string{"--mdns=false"}, want: false},
		{name: "off by the environment", env: "0", want: false},
		{name: "off by the environment, in words", env: "off", want: false},
		{name: "the flag wins over the environment", args: []string{"--mdns"}, env: "off", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "PHATDONG_MDNS" {
					return tt.env
				}
				return ""
			}
			cfg, err := parseConfig(tt.args, getenv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MDNS != tt.want {
				t.Errorf("MDNS = %v, want %v", cfg.MDNS, tt.want)
			}
		})
	}
}
