package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
)

// withNATS is cfg with a NATS node on free loopback ports.
func withNATS(cfg Config) Config {
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.LeafPort = 0
	return cfg
}

func TestNATSRefusesAWrongSecret(t *testing.T) {
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.PairingSecret = "pairing-secret-given"
	r := start(t, cfg)
	for _, opts := range [][]nats.Option{nil, {nats.Token(testToken)}, {nats.Token("pairing-secret-giveN")}} {
		nc, err := nats.Connect(r.nats.node.URL(), append(opts, nats.NoReconnect())...)
		if err == nil {
			nc.Close()
			t.Fatalf("connected with %d options, want an authorization error", len(opts))
		}
	}
	nc, err := nats.Connect(r.nats.node.URL(), nats.Token("pairing-secret-given"), nats.NoReconnect())
	if err != nil {
		t.Fatalf("the given secret: %v", err)
	}
	nc.Close()
}

func TestNATSOff(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	r := start(t, testConfig(t, db)) // the zero NATSAddr: off
	if r.nats != nil {
		t.Fatal("a node runs with NATS off")
	}
	code, body := call(t, "GET", r.url("/healthz"), "", "")
	if code != 200 || bytes.Contains(body, []byte(`"nats"`)) {
		t.Errorf("healthz with NATS off: %d %s", code, body)
	}
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	if strings.Contains(banner.String(), "nats://") || strings.Contains(banner.String(), "pairing secret") {
		t.Errorf("banner with NATS off:\n%s", banner.String())
	}
	if _, err := os.Stat(natsDir(db)); !os.IsNotExist(err) {
		t.Errorf("NATS off made %s (stat: %v)", natsDir(db), err)
	}
}

func TestNATSPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.NATSAddr = ln.Addr().String()
	s, err := Open(cfg, quiet)
	if err == nil {
		s.Close()
		t.Fatal("opened with the NATS port in use")
	}
	if !strings.Contains(err.Error(), "--nats-addr "+cfg.NATSAddr) || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("err = %v, want it to name --nats-addr and the port in use", err)
	}
}
