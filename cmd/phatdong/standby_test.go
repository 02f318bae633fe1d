package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
)

// startPair starts a primary and its standby in this process, on free
// loopback ports, and waits until the standby is in sync.
func startPair(t *testing.T) (primary, standby *running) {
	t.Helper()
	primary = start(t, withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))))
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.StandbyOf = primary.nats.node.LeafAddr().String()
	cfg.PairingSecret = primary.nats.secret
	standby = start(t, cfg)
	waitFor(t, 15*time.Second, "the standby in sync", func() bool { return primary.nats.pair.InSync() })
	return primary, standby
}

func waitFor(t testing.TB, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stateOf reads a server's state from its API.
func stateOf(t *testing.T, r *running) display.StateBody {
	t.Helper()
	code, body := call(t, "GET", r.url("/api/v1/state"), "", "")
	if code != 200 {
		t.Fatalf("state: %d %s", code, body)
	}
	var sb display.StateBody
	if err := json.Unmarshal(body, &sb); err != nil {
		t.Fatal(err)
	}
	return sb
}

func TestAStandbyServerFollowsThePrimary(t *testing.T) {
	primary, standby := startPair(t)
	for _, c := range []string{"start", "pause", "next", "arm", "fire"} {
		if code, body := call(t, "POST", primary.url("/api/v1/commands"), testToken, `{"type":"`+c+`"}`); code != 200 {
			t.Fatalf("%s on the primary: %d %s", c, code, body)
		}
	}
	want := primary.engine.Snapshot().State
	waitFor(t, 10*time.Second, "the standby at the primary's seq", func() bool { return standby.engine.Snapshot().State.Seq == want.Seq })
	if got := standby.engine.Snapshot().State; !reflect.DeepEqual(got, want) {
		t.Fatalf("the standby's state %+v, the primary's %+v", got, want)
	}
	if a, b := stateOf(t, primary), stateOf(t, standby); a.State.Seq != b.State.Seq || a.State.Launch.FireID != b.State.Launch.FireID {
		t.Fatalf("the APIs differ: primary seq %d fire %q, standby seq %d fire %q", a.State.Seq, a.State.Launch.FireID, b.State.Seq, b.State.Launch.FireID)
	}

	// The standby takes no command; its operators are told why.
	code, body := call(t, "POST", standby.url("/api/v1/commands"), testToken, `{"type":"next"}`)
	if code == 200 || !bytes.Contains(body, []byte(`"not_primary"`)) {
		t.Fatalf("a command on the standby: %d %s, want it refused as not_primary", code, body)
	}

	// Each server's health names its role and the leaf link.
	for _, tc := range []struct {
		r    *running
		role string
	}{{primary, "primary"}, {standby, "standby"}} {
		var body []byte
		waitFor(t, 5*time.Second, tc.role+"'s healthz in sync", func() bool {
			var code int
			code, body = call(t, "GET", tc.r.url("/healthz"), "", "")
			var h struct {
				NATS struct {
					Role  string `json:"role"`
					Leafs int    `json:"leafs"`
					OK    bool   `json:"ok"`
				} `json:"nats"`
				Pair struct {
					Role   string `json:"role"`
					InSync bool   `json:"inSync"`
				} `json:"pair"`
			}
			if err := json.Unmarshal(body, &h); code != 200 || err != nil {
				t.Fatalf("healthz: %d %s", code, body)
			}
			return h.NATS.Role == tc.role && h.NATS.Leafs == 1 && h.NATS.OK && h.Pair.Role == tc.role && h.Pair.InSync
		})
	}
}

func TestStandbyBanner(t *testing.T) {
	primary, standby := startPair(t)
	var b bytes.Buffer
	primary.PrintBanner(&b)
	port := primary.nats.node.LeafAddr().(*net.TCPAddr).Port
	if want := "--standby-of 127.0.0.1:" + itoa(port) + " --pairing-secret " + primary.nats.secret; !strings.Contains(b.String(), want) {
		t.Errorf("the primary's banner lacks %q:\n%s", want, b.String())
	}
	b.Reset()
	standby.PrintBanner(&b)
	if !strings.Contains(b.String(), "MÁY DỰ PHÒNG của máy chính "+standby.cfg.StandbyOf) {
		t.Errorf("the standby's banner does not say it is one:\n%s", b.String())
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTheLogNeverHoldsThePairingSecret(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	primary := startLogged(t, withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))), log)
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.StandbyOf = primary.nats.node.LeafAddr().String()
	cfg.PairingSecret = primary.nats.secret
	standby := startLogged(t, cfg, log)
	waitFor(t, 15*time.Second, "the standby in sync", func() bool { return primary.nats.pair.InSync() })
	standby.stop()
	primary.stop()
	if strings.Contains(logs.String(), primary.nats.secret) {
		t.Errorf("the log holds the pairing secret:\n%s", logs.String())
	}
}

func TestTheStandbyOpensToThePrimarysCredentials(t *testing.T) {
	primary := start(t, withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))))
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.StandbyOf = primary.nats.node.LeafAddr().String()
	cfg.PairingSecret = primary.nats.secret
	cfg.OperatorToken, cfg.ButtonKey = "standby-own-token", "standby-own-button-key"
	standby := start(t, cfg)

	code, body := call(t, "POST", primary.url("/api/v1/credentials"), testToken, `{"kind":"operator","label":"Máy tính bảng MC"}`)
	var made display.CreatedCredentialBody
	if err := json.Unmarshal(body, &made); code != 201 || err != nil {
		t.Fatalf("make a credential on the primary: %d %s", code, body)
	}
	// A command on the standby is refused as not_primary (503) once the
	// credential opens, as unauthorized (401) before.
	opens := func(token string) bool {
		code, _ := call(t, "POST", standby.url("/api/v1/commands"), token, `{"type":"next"}`)
		return code == 503
	}
	waitFor(t, 10*time.Second, "the primary's credentials opening the standby", func() bool {
		return opens(testToken) && opens(made.Secret)
	})
	if !opens("standby-own-token") {
		t.Fatal("the standby's own token no longer opens it")
	}
	if code, body := call(t, "DELETE", primary.url("/api/v1/credentials/"+made.Credential.ID), testToken, ""); code != 200 {
		t.Fatalf("revoke on the primary: %d %s", code, body)
	}
	waitFor(t, 10*time.Second, "the revocation reaching the standby", func() bool { return !opens(made.Secret) })
}

// A pair serving TLS links over TLS: the standby trusts the pair's CA.
func TestAStandbyLinksOverTLS(t *testing.T) {
	f := tlsFiles(t, time.Now())
	primary := start(t, withTLS(withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))), f))
	cfg := withTLS(withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))), f)
	cfg.StandbyOf = primary.nats.node.LeafAddr().String()
	cfg.PairingSecret = primary.nats.secret
	start(t, cfg)
	waitFor(t, 15*time.Second, "the standby in sync over TLS", func() bool { return primary.nats.pair.InSync() })
}
