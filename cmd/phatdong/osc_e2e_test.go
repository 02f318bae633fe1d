package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/osc"
	"github.com/phatdong/phatdong/display/oscin"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// brief reads GET /api/v1/state/brief.
func brief(t *testing.T, r *running) display.BriefBody {
	t.Helper()
	code, body := call(t, "GET", r.url("/api/v1/state/brief"), "", "")
	var b display.BriefBody
	if code != 200 || json.Unmarshal(body, &b) != nil {
		t.Fatalf("brief: %d %s", code, body)
	}
	return b
}

// waitBrief polls the brief state until ok says yes.
func waitBrief(t *testing.T, r *running, what string, ok func(display.BriefBody) bool) display.BriefBody {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b := brief(t, r)
		if ok(b) {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: brief is %+v", what, b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestOSCCompanionAndCues runs the whole server: an OSC message from a
// Go client and a Companion-style HTTP call move the show, and a
// rehearsal fire sends the show's OSC and HTTP cues once.
func TestOSCCompanionAndCues(t *testing.T) {
	cueUDP, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer cueUDP.Close()
	oscCues := make(chan osc.Message, 8)
	go func() {
		buf := make([]byte, osc.MaxPacket)
		for {
			n, _, err := cueUDP.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if m, err := osc.Decode(buf[:n]); err == nil {
				oscCues <- m
			}
		}
	}()
	httpCues := make(chan string, 8)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		httpCues <- req.Method + " " + req.URL.Path + " " + string(body)
	}))
	defer hs.Close()

	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.OSCAddr = "127.0.0.1:0"
	if cfg.OSCAllow, err = oscin.ParseAllow([]string{"127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	r := start(t, cfg)
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	if !strings.Contains(banner.String(), "OSC không có xác thực") {
		t.Errorf("the banner does not warn that OSC has no authentication:\n%s", banner.String())
	}

	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	show.Launch.Cues = []controller.Cue{
		{Kind: controller.CueOSC, Target: cueUDP.LocalAddr().String(), Address: "/lights/go", Args: []json.RawMessage{json.RawMessage(`1`)}},
		{Kind: controller.CueHTTP, Target: hs.URL + "/api/location/1/0/1/press", Method: "POST", DelayMs: 200},
		{Kind: controller.CueHTTP, Target: hs.URL + "/pyro", Method: "POST", SkipRehearsal: true},
	}
	file, err := show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if code, body := call(t, "PUT", r.url("/api/v1/show"), testToken, string(file)); code != 200 {
		t.Fatalf("put show: %d %s", code, body)
	}

	// OSC from a Go client.
	conn, err := net.Dial("udp", r.osc.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	p, err := osc.Encode(osc.Message{Address: "/phatdong/next"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(p); err != nil {
		t.Fatal(err)
	}
	waitBrief(t, r, "after OSC next", func(b display.BriefBody) bool { return b.SegmentIndex == 1 })

	// Companion's generic HTTP module.
	for _, cmd := range []string{`{"type":"next"}`, `{"type":"start"}`} {
		if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, cmd); code != 200 {
			t.Fatalf("%s: %d %s", cmd, code, body)
		}
	}
	b := brief(t, r)
	if b.SegmentIndex != 2 || !b.Running || b.SegmentTitle != show.Segments[2].Title {
		t.Fatalf("after Companion's calls: %+v", b)
	}

	// A rehearsal fire sends its cues once, and the operators see how
	// each went.
	op := protocoltest.Dial(t, "ws://"+r.Addr().String()+"/ws", protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: testToken})
	for _, cmd := range []string{`{"type":"rehearsal","on":true}`, `{"type":"arm"}`, `{"type":"fire"}`} {
		if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, cmd); code != 200 {
			t.Fatalf("%s: %d %s", cmd, code, body)
		}
	}
	code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"fire"}`)
	if code != http.StatusConflict || !bytes.Contains(body, []byte(`"duplicate"`)) {
		t.Fatalf("second fire: %d %s", code, body)
	}
	if m := <-oscCues; m.Address != "/lights/go" || fmt.Sprint(m.Args) != "[1]" {
		t.Fatalf("OSC cue %+v", m)
	}
	if got := <-httpCues; got != "POST /api/location/1/0/1/press " {
		t.Fatalf("HTTP cue %q", got)
	}
	// Wait for the sender's own count of what it did, then check that
	// nothing else came.
	waitMetric(t, r, `phatdong_cues_total{kind="http",outcome="skipped"} 1`)
	waitMetric(t, r, `phatdong_cues_total{kind="http",outcome="sent"} 1`)
	fireID := r.engine.Snapshot().State.Launch.FireID
	for {
		var m protocol.DevicesMsg
		op.Until(protocol.TypeDevices).Decode(t, &m)
		if m.Fire == nil || m.Fire.FireID != fireID || len(m.Fire.Cues) != 3 || m.Fire.Cues[1].State == protocol.CuePending {
			continue // before the fire, or the delayed cue still to go
		}
		var states []string
		for _, c := range m.Fire.Cues {
			states = append(states, c.State)
		}
		if want := "sent sent skipped"; strings.Join(states, " ") != want {
			t.Fatalf("the operators see the cues as %q, want %q: %+v", states, want, m.Fire.Cues)
		}
		break
	}
	select {
	case m := <-oscCues:
		t.Fatalf("a second OSC cue %+v", m)
	case got := <-httpCues:
		t.Fatalf("a second HTTP cue %q", got)
	default:
	}
}

// waitMetric waits until /metrics holds the line.
func waitMetric(t *testing.T, r *running, line string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := call(t, "GET", r.url("/metrics"), "", "")
		if bytes.Contains(body, []byte(line)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks %q", line)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
