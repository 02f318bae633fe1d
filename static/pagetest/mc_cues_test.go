package pagetest

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/cues"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// At a rehearsal's fire the MC's launch panel says how the cues went, as
// the server's real cue sender reports them: the counts, and each cue
// that failed (with why, in Vietnamese, so the crew can trigger it by
// hand) or is still to go; a skipped one is counted.
func TestMCShowsHowTheCuesWent(t *testing.T) {
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer refusing.Close()

	var sender *cues.Sender
	var srv *displaytest.Server
	srv = displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Expiry: true,
		Cues: func(fireID string) []protocol.CueOutcome { return sender.Outcomes(fireID) }})
	sender, err = cues.Start(cues.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Changed: srv.Display.CuesChanged})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sender.Close)
	srv.Engine.Subscribe(sender)
	s := &server{URL: srv.URL, engine: srv.Engine, test: srv}

	show := srv.Engine.Snapshot().Show.Clone()
	show.Launch.Cues = []controller.Cue{
		{Kind: controller.CueOSC, Target: udp.LocalAddr().String(), Address: "/lights/go"},
		{Kind: controller.CueHTTP, Target: refusing.URL + "/press", Method: "POST"},
		{Kind: controller.CueHTTP, Target: refusing.URL + "/later", Method: "PUT", DelayMs: 60_000},
		{Kind: controller.CueOSC, Target: udp.LocalAddr().String(), Address: "/pyro", SkipRehearsal: true},
	}
	data, err := show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	s.putShow(t, string(data))
	s.gotoKind(t, controller.KindLaunch)

	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	s.command(t, `{"type":"rehearsal","on":true}`)
	s.command(t, `{"type":"arm"}`)
	s.command(t, `{"type":"fire"}`)

	fired := `document.getElementById("lp-fired").innerText`
	mc.wait(fired+`.includes("Tín hiệu ra: đã gửi 1/3 · 1 lỗi · 1 đang chờ · 1 bỏ qua khi tập dượt")`, 10*time.Second, fired)
	text := eval[string](mc, fired)
	for _, want := range []string{
		"✘ HTTP POST " + refusing.URL + "/press: trả lời mã 503",
		"… HTTP PUT " + refusing.URL + "/later: gửi lúc ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the launch panel says %q, want a line %q", text, want)
		}
	}
	if strings.Contains(text, "/lights/go") || strings.Contains(text, "/pyro") {
		t.Errorf("the launch panel lists a cue that went or was skipped: %q", text)
	}
	bad := eval[[]string](mc, `[...document.querySelectorAll("#lp-fired .cue-bad")].map((e) => e.textContent)`)
	if len(bad) != 2 || !strings.HasPrefix(bad[0], "Tín hiệu ra:") || !strings.HasPrefix(bad[1], "✘ HTTP POST") {
		t.Errorf("the lines marked as failures are %q, want the counts and the failed cue", bad)
	}
	mc.checkConsole()
}
