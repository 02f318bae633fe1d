package pagetest

import (
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// followSide is one server of a test pair, with what its Servers returns.
type followSide struct {
	srv     *displaytest.Server
	servers atomic.Pointer[[]protocol.ServerInfo]
	log     *lockedBuffer
}

// startFollowSide runs a server whose Servers reads side.servers.
func startFollowSide(t *testing.T) *followSide {
	side := &followSide{log: &lockedBuffer{}}
	log := slog.New(slog.NewTextHandler(side.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	side.srv = displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Log: log, Servers: func() []protocol.ServerInfo {
		if p := side.servers.Load(); p != nil {
			return *p
		}
		return nil
	}})
	return side
}

// tell sets what the side says of the pair: itself (self) and the other.
func (side *followSide) tell(role string, epoch uint64, other *followSide, otherRole string, otherEpoch uint64) {
	list := []protocol.ServerInfo{
		{URLs: []string{side.srv.URL}, Role: role, Epoch: epoch, Self: true},
		{URLs: []string{other.srv.URL}, Role: otherRole, Epoch: otherEpoch},
	}
	side.servers.Store(&list)
}

// message sets the MC's message on the side's engine.
func (side *followSide) message(t *testing.T, text string) {
	t.Helper()
	if _, err := side.srv.Engine.Execute(controller.Command{Type: controller.CmdMessage, Text: text}, controller.Actor{Role: "test"}); err != nil {
		t.Fatalf("message %q: %v", text, err)
	}
}

// takeover makes the side's standby engine the primary, one epoch up, and
// returns when it did.
func (side *followSide) takeover(t *testing.T) time.Time {
	t.Helper()
	if _, err := side.srv.Engine.Takeover(controller.Actor{Role: "test", Name: "kỹ thuật"}); err != nil {
		t.Fatalf("takeover: %v", err)
	}
	return time.Now()
}

// kill stops the side like a dead laptop: its sockets and its listener go.
func (side *followSide) kill() {
	side.srv.Display.Close()
	side.srv.HTTP.CloseClientConnections()
	side.srv.HTTP.Close()
}

// startFollowPair runs A, the primary at epoch 0, and B, its standby, and
// opens /stage on A; the page records every message it is given in
// window.seen, and window.mark tells a reload.
func startFollowPair(t *testing.T) (a, b *followSide, stage *page) {
	a, b = startFollowSide(t), startFollowSide(t)
	b.srv.Engine.SetPrimary(false)
	a.tell(protocol.RolePrimary, 0, b, protocol.RoleStandby, 0)
	b.tell(protocol.RoleStandby, 0, a, protocol.RolePrimary, 0)
	stage = open(t, browsertest.NewBrowser(t), a.srv.URL+"/stage", 960, 540)
	stage.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)
	stage.js(`window.mark = "A"; window.seen = []; window.phatdongLink.on("state", (v) => window.seen.push((v.message || {}).text || ""))`)
	return a, b, stage
}

// hostOf is host:port of a test server's URL.
func hostOf(url string) string { return strings.TrimPrefix(url, "http://") }

// followsTakeover kills A, makes B the primary of epoch 1 and requires the
// page (marked "A" at load) to show B's state within 2 s of the takeover,
// without a reload, on B's one socket.
func followsTakeover(t *testing.T, a, b *followSide, stage *page) {
	t.Helper()
	a.kill()
	at := b.takeover(t)
	b.tell(protocol.RolePrimary, 1, a, protocol.RolePrimary, 0)
	b.message(t, "Máy B đã tiếp quản")
	stage.wait(`window.seen.includes("Máy B đã tiếp quản")`, 2*time.Second-time.Since(at), `window.seen`)
	t.Logf("B's state shown %v after the takeover", time.Since(at).Round(time.Millisecond))
	if got := eval[string](stage, `window.mark || ""`); got != "A" {
		t.Errorf("the page reloaded (mark %q)", got)
	}
	if n := b.srv.Display.Hub().Connected(); n != 1 {
		t.Errorf("B has %d sockets, want the page's", n)
	}
	stage.checkConsole(hostOf(a.srv.URL))
}

// A page on the primary A follows B when A dies and B takes over: it
// shows B's state within 2 s of the takeover, without a reload.
func TestFollowDeadPrimary(t *testing.T) {
	a, b, stage := startFollowPair(t)
	followsTakeover(t, a, b, stage)
}

// Split brain as clients see it: A stays the primary of epoch 0 (its
// message "cũ"), B takes over at epoch 1 ("mới"). The page ends on B and
// never shows "cũ" again, even when B goes and it can reach only A.
func TestFollowSplitBrain(t *testing.T) {
	a, b, stage := startFollowPair(t)
	a.message(t, "cũ")
	stage.wait(`window.seen.at(-1) === "cũ"`, 5*time.Second, `window.seen`)

	at := b.takeover(t)
	b.message(t, "mới")
	b.tell(protocol.RolePrimary, 1, a, protocol.RolePrimary, 0)
	stage.wait(`window.seen.at(-1) === "mới"`, 2*time.Second-time.Since(at), `window.seen`)
	t.Logf("B's state shown %v after the takeover", time.Since(at).Round(time.Millisecond))
	stage.js(`window.seen = []`)

	// A goes on at epoch 0: its states reach the page no more.
	a.message(t, "cũ")
	time.Sleep(2500 * time.Millisecond) // probes every second: two of them at least
	if n := a.srv.Display.Hub().Connected(); n != 0 {
		t.Errorf("A still has %d sockets", n)
	}
	if n := b.srv.Display.Hub().Connected(); n != 1 {
		t.Errorf("B has %d sockets, want the page's", n)
	}

	// B goes: the page can reach only A, which welcomes it at epoch 0;
	// it takes nothing from A and keeps trying.
	introduced := strings.Count(a.log.String(), "socket introduced")
	b.kill()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(a.log.String(), "socket introduced") < introduced+2 && time.Now().Before(deadline) && eval[int](stage, `window.seen.length`) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if seen := eval[[]string](stage, `window.seen`); len(seen) != 0 {
		t.Errorf("after the switch the page was given %q, want nothing", seen)
	}
	if n := strings.Count(a.log.String(), "socket introduced") - introduced; n < 2 {
		t.Errorf("the page said hello to A %d times after B went, want it to keep trying", n)
	}
	if got := eval[string](stage, `window.mark || ""`); got != "A" {
		t.Errorf("the page reloaded (mark %q)", got)
	}
	stage.checkConsole(hostOf(b.srv.URL))
}

// A page of a server alone asks nothing but what it always did: no probe
// of /api/v1/pair, one socket. A page of a pair probes about every second,
// stays on the primary, and one loaded from the standby moves to it.
func TestFollowProbes(t *testing.T) {
	alone := startFollowSide(t)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, alone.srv.URL+"/stage", 960, 540)
	stage.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)

	a, b := startFollowSide(t), startFollowSide(t)
	b.srv.Engine.SetPrimary(false)
	a.tell(protocol.RolePrimary, 0, b, protocol.RoleStandby, 0)
	b.tell(protocol.RoleStandby, 0, a, protocol.RolePrimary, 0)
	paired := open(t, browser, a.srv.URL+"/stage", 960, 540)
	paired.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)

	onStandby := open(t, browser, b.srv.URL+"/stage", 960, 540)
	onStandby.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)
	onStandby.js(`window.mark = "B"`)

	time.Sleep(2500 * time.Millisecond)
	if n := strings.Count(alone.log.String(), "path=/api/v1/pair"); n != 0 {
		t.Errorf("a page of a server alone asked /api/v1/pair %d times", n)
	}
	if n := strings.Count(alone.log.String(), "socket introduced"); n != 1 {
		t.Errorf("a page of a server alone said hello %d times, want 1", n)
	}
	if n := strings.Count(b.log.String(), "path=/api/v1/pair"); n < 2 {
		t.Errorf("a page of a pair asked the standby %d times in 2.5 s, want about every second", n)
	}
	if n := b.srv.Display.Hub().Connected(); n != 0 {
		t.Errorf("%d sockets on the standby, want none: every page on the primary", n)
	}
	if n := a.srv.Display.Hub().Connected(); n != 2 {
		t.Errorf("%d sockets on the primary, want both pages'", n)
	}
	if got := eval[string](onStandby, `window.mark || ""`); got != "B" {
		t.Errorf("the page loaded from the standby reloaded (mark %q)", got)
	}
	stage.checkConsole()
	paired.checkConsole()
	onStandby.checkConsole()
}

// A page loaded while its server A was alone learns of the standby B when
// the pair forms (a servers message, no reload), so when A dies and B
// takes over it finds B: B's state shows within 2 s of the takeover. (A
// server that may pair lets its pages connect to any server while it has
// no peer: the page's policy is fixed when it loads.)
func TestFollowJoinedLater(t *testing.T) {
	a, b := startFollowSide(t), startFollowSide(t)
	b.srv.Engine.SetPrimary(false)
	stage := open(t, browsertest.NewBrowser(t), a.srv.URL+"/stage", 960, 540)
	stage.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)
	stage.js(`window.mark = "A"; window.seen = []; window.phatdongLink.on("state", (v) => window.seen.push((v.message || {}).text || ""))`)

	// B starts: A now lists it, and tells its devices.
	a.tell(protocol.RolePrimary, 0, b, protocol.RoleStandby, 0)
	b.tell(protocol.RoleStandby, 0, a, protocol.RolePrimary, 0)
	a.srv.Display.PairChanged()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(b.log.String(), "path=/api/v1/pair") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(b.log.String(), "path=/api/v1/pair") {
		stage.checkConsole()
		t.Fatal("the page never probed B: it did not learn of the pair")
	}

	followsTakeover(t, a, b, stage)
}
