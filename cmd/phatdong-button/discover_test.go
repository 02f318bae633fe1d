package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

func TestDiscoverCommand(t *testing.T) {
	primary := dnssd.Record{Instance: "phatdong-a-8080", Host: "a.local", Version: "devel", Role: dnssd.RolePrimary, Scheme: "http", Addrs: []string{"10.0.0.2:8080"}}
	standby := dnssd.Record{Instance: "phatdong-b-8080", Host: "b.local", Version: "devel", Role: dnssd.RoleStandby, Scheme: "https", Addrs: []string{"10.0.0.3:8443"}}
	tests := []struct {
		name    string
		args    []string
		found   []dnssd.Record
		want    string // the output, or a part of it
		err     string
		timeout time.Duration
	}{
		{name: "a table", found: []dnssd.Record{primary, standby}, want: "primary\thttp://10.0.0.2:8080\ta.local\tdevel\nstandby\thttps://10.0.0.3:8443\tb.local\tdevel\n", timeout: 2 * time.Second},
		{name: "the primary alone, for scripts", args: []string{"--primary", "--timeout", "3s"}, found: []dnssd.Record{standby, primary}, want: "http://10.0.0.2:8080\n", timeout: 3 * time.Second},
		{name: "no primary", args: []string{"--primary"}, found: []dnssd.Record{standby}, err: "no primary server answered"},
		{name: "nothing", found: nil, err: "no phatdong server answered"},
		{name: "JSON", args: []string{"--json"}, found: []dnssd.Record{primary}, want: `"role": "primary"`},
		{name: "a bad timeout", args: []string{"--timeout", "2h"}, err: "up to 1m"},
		{name: "an argument", args: []string{"now"}, err: `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			var asked time.Duration
			browse := func(_ context.Context, timeout time.Duration) ([]dnssd.Record, error) {
				asked = timeout
				return tt.found, nil
			}
			err := discoverCommand(tt.args, &out, &errOut, browse)
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("printed %q, want %q", out.String(), tt.want)
			}
			if tt.timeout != 0 && asked != tt.timeout {
				t.Errorf("listened %s, want %s", asked, tt.timeout)
			}
			if strings.Contains(tt.name, "JSON") && !json.Valid(out.Bytes()) {
				t.Errorf("not JSON: %s", out.String())
			}
		})
	}
}
