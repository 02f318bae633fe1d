package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/phatdong/phatdong/display/node"
)

// withNATS is cfg with a NATS node on a free loopback port.
func withNATS(cfg Config) Config {
	cfg.NATSAddr = "127.0.0.1:0"
	return cfg
}

// readStream reads the whole journal stream of r from outside, over TCP
// with secret, and returns its messages in order.
func readStream(t *testing.T, r *running, secret string) []journalMessage {
	t.Helper()
	nc, err := nats.Connect(r.nats.node.URL(), nats.Token(secret), nats.NoReconnect())
	if err != nil {
		t.Fatalf("connect with the pairing secret: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a hang guard
	defer cancel()
	stream, err := js.Stream(ctx, node.JournalStream)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []journalMessage
	for range info.State.Msgs {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", len(out), info.State.Msgs, err)
		}
		var m journalMessage
		if err := json.Unmarshal(msg.Data(), &m); err != nil {
			t.Fatalf("message %d: %v", len(out), err)
		}
		if got := msg.Headers().Get(node.SeqHeader); got != jsonNumber(m.Seq) {
			t.Fatalf("message %d: header seq %q, body seq %d", len(out), got, m.Seq)
		}
		out = append(out, m)
	}
	return out
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

// waitPublished waits (a hang guard, not a speed figure) until the
// journal of r has published want entries.
func waitPublished(t *testing.T, r *running, want uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for r.nats.journal.Stats().Published < want {
		if time.Now().After(deadline) {
			t.Fatalf("journal stats %+v, want %d published", r.nats.journal.Stats(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJournalStreamGetsTheCommittedCommandsAndSurvivesARestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	var logs bytes.Buffer
	cfg := withNATS(testConfig(t, db))
	r := startLogged(t, cfg, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	secret := r.nats.secret
	if len(secret) < minSecretLen {
		t.Fatalf("pairing secret %q", secret)
	}

	cmds := []string{"next", "start", "pause", "resume", "reset-timer", "previous"}
	for _, c := range cmds {
		if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"`+c+`"}`); code != 200 {
			t.Fatalf("%s: %d %s", c, code, body)
		}
	}
	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"fire"}`); code == 200 {
		t.Fatalf("fire while not armed was accepted: %s", body)
	}
	seq := r.engine.Snapshot().State.Seq // the refused fire is not in the stream
	waitPublished(t, r, seq+1)
	msgs := readStream(t, r, secret)
	if uint64(len(msgs)) != seq+1 {
		t.Fatalf("%d messages, want %d (the load-show of seq 0, then one per accepted command)", len(msgs), seq+1)
	}
	for i, m := range msgs {
		if m.Seq != uint64(i) {
			t.Fatalf("message %d has seq %d, want %d", i, m.Seq, i)
		}
	}
	if msgs[0].Entry.Command.Type != "load-show" || msgs[0].Show == nil {
		t.Errorf("first message %+v, want the load-show with its show", msgs[0])
	}
	tail := msgs[len(msgs)-len(cmds):]
	for i, c := range cmds {
		if string(tail[i].Entry.Command.Type) != c || tail[i].Entry.Answer.Seq != tail[i].Seq {
			t.Errorf("message of %s: %+v", c, tail[i])
		}
	}

	code, body := call(t, "GET", r.url("/healthz"), "", "")
	var health struct {
		NATS struct {
			Addr      string            `json:"addr"`
			JetStream bool              `json:"jetstream"`
			OK        bool              `json:"ok"`
			Journal   node.JournalStats `json:"journal"`
		} `json:"nats"`
	}
	if err := json.Unmarshal(body, &health); code != 200 || err != nil {
		t.Fatalf("healthz: %d %s", code, body)
	}
	if h := health.NATS; !h.OK || !h.JetStream || h.Addr != r.nats.node.Addr().String() || h.Journal.Published != seq+1 {
		t.Errorf("healthz nats %+v, want ok with JetStream on %s and %d published", h, r.nats.node.Addr(), seq+1)
	}

	var banner bytes.Buffer
	r.PrintBanner(&banner)
	for _, want := range []string{"Mã ghép nối (pairing secret): " + secret, "máy chủ dự phòng", "điểm cầu", "nats://127.0.0.1:"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}

	r.stop()
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds the pairing secret:\n%s", logs.String())
	}

	r = start(t, withNATS(testConfig(t, db)))
	if r.nats.secret != secret {
		t.Errorf("after a restart the pairing secret is %q, want the stored %q", r.nats.secret, secret)
	}
	if again := readStream(t, r, secret); len(again) != len(msgs) {
		t.Errorf("after a restart the stream holds %d messages, want %d", len(again), len(msgs))
	}
	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"next"}`); code != 200 {
		t.Fatalf("next after the restart: %d %s", code, body)
	}
	waitPublished(t, r, 1)
	if after := readStream(t, r, secret); len(after) != len(msgs)+1 || after[len(msgs)].Seq != seq+1 || after[len(msgs)].Entry.Command.Type != "next" {
		t.Errorf("after a restart and one command: %d messages, want %d ending with seq %d", len(after), len(msgs)+1, seq+1)
	}
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
