package pagetest

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/delayproxy"
)

// The network drops: the MC says so at once and refuses to pretend a
// command went through; the show moves on meanwhile; when the network
// comes back every page shows the new state, nothing stale.
func TestReconnectShowsTheNewState(t *testing.T) {
	s := startServer(t)
	px := delayproxy.New(t, strings.TrimPrefix(s.URL, "http://"), 0, 0)
	pxURL := "http://" + px.Addr()
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, pxURL+"/stage", 1280, 720)
	presenter := open(t, browser, pxURL+"/presenter", 1280, 720)
	mc := open(t, browser, pxURL+"/mc#token="+opToken, 1280, 800)
	// A witness on a path that is never cut: what it shows, the server
	// has sent.
	witness := open(t, browser, s.URL+"/presenter", 1280, 720)
	stage.wait(`document.body.dataset.mode === "welcome"`, 10*time.Second, stageMode)
	witness.wait(`document.getElementById("p-next").textContent !== ""`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)

	px.SetCut(true)
	mc.wait(`!document.getElementById("net-banner").hidden`, 5*time.Second, `document.getElementById("net-banner").outerHTML`)
	if got := mc.text("net-banner"); !strings.Contains(got, "Mất kết nối") {
		t.Errorf("banner %q", got)
	}
	mc.click("btn-next")
	mc.wait(`(document.getElementById("toasts")?.innerText || "").includes("CHƯA được gửi")`, 5*time.Second, `document.getElementById("toasts")?.innerText`)

	// The show goes on without them: another operator moves and starts it.
	s.command(t, `{"type":"goto","segment":"tuyen-bo-ly-do"}`)
	s.command(t, `{"type":"start"}`)
	s.command(t, `{"type":"message","text":"Xin nói chậm lại"}`)
	// Wait for the positive events first: the server has sent the new
	// state (the witness shows the last command), and after that each cut
	// page has tried to reconnect and been refused. Only then does "the
	// page still shows the old state" mean the cut held.
	witness.wait(`document.getElementById("p-msg-text").textContent === "Xin nói chậm lại"`, 5*time.Second, `document.getElementById("p-msg-text").textContent`)
	wsURL := "ws://" + px.Addr() + "/ws"
	for _, p := range []*page{stage, presenter} {
		// The pause between tries is at most RECONNECT_MAX_MS (2 s) plus jitter.
		p.waitFailedTry(wsURL, 5*time.Second)
	}
	if got := eval[string](stage, stageMode); got != "welcome" {
		t.Fatalf("the stage changed while cut off: mode %q", got)
	}
	if got := presenter.text("p-msg-text"); got == "Xin nói chậm lại" {
		t.Fatal("the presenter showed the message while cut off")
	}

	px.SetCut(false)
	start := time.Now()
	stage.wait(`document.body.dataset.mode === "segment" && document.getElementById("s-title").textContent === "Tuyên bố lý do, giới thiệu đại biểu"`, 8*time.Second, `[document.body.dataset.mode, document.getElementById("s-title").textContent]`)
	presenter.wait(`document.getElementById("p-msg-text").textContent === "Xin nói chậm lại"`, 8*time.Second, `document.getElementById("p-msg-text").textContent`)
	mc.wait(`document.getElementById("net-banner").hidden && document.getElementById("cur-title").textContent === "Tuyên bố lý do, giới thiệu đại biểu"`, 8*time.Second, `document.getElementById("cur-title").textContent`)
	t.Logf("pages back on the new state %v after the network returned", time.Since(start).Round(10*time.Millisecond))
	// The clock resumes from the server's timestamps, not from zero.
	if got := stage.text("s-clock"); !strings.HasPrefix(got, "06:") {
		t.Errorf("stage clock after the reconnect %q, want 06:xx", got)
	}
	for _, p := range []*page{stage, presenter, mc} {
		// The browser notes each failed attempt to reconnect while cut.
		p.checkConsole("WebSocket connection to '" + wsURL + "' failed")
	}
	witness.checkConsole()
}

// waitFailedTry waits until the page has failed to open a websocket to
// wsURL once more than it had when called, and fails the test after
// timeout.
func (p *page) waitFailedTry(wsURL string, timeout time.Duration) {
	p.t.Helper()
	tries := func() int {
		n := 0
		for _, e := range p.console.Errors() {
			if strings.Contains(e, "WebSocket connection to '"+wsURL+"' failed") {
				n++
			}
		}
		return n
	}
	before := tries()
	for deadline := time.Now().Add(timeout); tries() == before; time.Sleep(25 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: no new failed try to reach %s in %v", p.name, wsURL, timeout)
		}
	}
}
