//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/protocol"
)

// followBound is how soon every screen must follow a new primary.
const followBound = 2 * time.Second

// netPair is a primary and a standby, each in its own namespace.
type netPair struct {
	n      *testNet
	dir    string
	secret string
	p, s   *proc
}

// startNetPair runs the primary in P and its standby in S (with
// standbyArgs), linked over the servers' link, and waits until both say
// the standby is in sync.
func startNetPair(t *testing.T, standbyArgs ...string) *netPair {
	t.Helper()
	np := &netPair{n: newNet(t), dir: t.TempDir()}
	np.p = np.n.launchIn('P', filepath.Join(np.dir, "p.db"))
	np.secret = np.p.printed(t, secretRE)[1]
	np.s = np.n.launchIn('S', filepath.Join(np.dir, "s.db"), append([]string{"--standby-of", primaryToPeer + ":7422", "--pairing-secret", np.secret}, standbyArgs...)...)
	np.waitRoles(t, np.p, np.s, 0)
	return np
}

// restart runs a server again in its namespace on its database, as a
// laptop that comes back after a crash (no --standby-of: it comes up on
// its own, as the primary it was or a standby it was).
func (np *netPair) restart(t *testing.T, ns byte) *proc {
	t.Helper()
	if ns == 'P' {
		return np.n.launchIn('P', filepath.Join(np.dir, "p.db"))
	}
	return np.n.launchIn('S', filepath.Join(np.dir, "s.db"), "--standby-of", primaryToPeer+":7422", "--pairing-secret", np.secret)
}

// waitRoles waits until primary and standby both say so, at epoch, in sync.
func (np *netPair) waitRoles(t *testing.T, primary, standby *proc, epoch uint64) {
	t.Helper()
	waitFor(t, 30*time.Second, fmt.Sprintf("the pair in sync at epoch %d", epoch), func() bool {
		a, okA := primary.pair()
		b, okB := standby.pair()
		return okA && okB && a.Role == protocol.RolePrimary && b.Role == protocol.RoleStandby &&
			a.Epoch == epoch && b.Epoch == epoch && a.InSync && b.InSync && a.Connected && b.Connected
	})
}

// netScreen is a screen in the clients' namespace that follows the pair by
// the rule every device keeps: it shows the state of the primary of the
// highest epoch it can reach, and never a state of an epoch lower than one
// it saw. It asks both servers' /healthz every 250 ms.
type netScreen struct {
	np    *netPair
	name  string
	procs func() [2]*proc

	mu      sync.Mutex
	on      *proc
	epoch   uint64 // the highest seen
	state   protocol.View
	seenAt  map[uint64]time.Time // when each epoch was first shown
	fireIDs map[string]int       // fire messages by fire id
	lower   int                  // states of a lower epoch shown after a higher one
}

func (np *netPair) screens(ctx context.Context, t *testing.T, count int, procs func() [2]*proc) []*netScreen {
	out := make([]*netScreen, count)
	for i := range out {
		sc := &netScreen{np: np, name: fmt.Sprintf("Màn %d", i+1), procs: procs, seenAt: map[uint64]time.Time{}, fireIDs: map[string]int{}}
		sc.on = procs()[i%2] // half start on each server
		out[i] = sc
		go sc.run(ctx)
	}
	waitFor(t, 15*time.Second, "every screen showing a state", func() bool {
		for _, sc := range out {
			sc.mu.Lock()
			_, shown := sc.seenAt[0]
			sc.mu.Unlock()
			if !shown {
				return false
			}
		}
		return true
	})
	return out
}

func (sc *netScreen) view() protocol.View {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.state
}

// run keeps a link to the chosen server, and moves it when the choice
// changes or the link fails.
func (sc *netScreen) run(ctx context.Context) {
	for ctx.Err() == nil {
		sc.mu.Lock()
		target := sc.on
		sc.mu.Unlock()
		sc.follow(ctx, target)
		sc.choose(true)
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// follow reads the state from p until the link fails, ctx ends, or the
// screen chose another server.
func (sc *netScreen) follow(ctx context.Context, p *proc) {
	dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	c, _, err := sc.np.n.ws.DialContext(dctx, "ws"+p.base[len("http"):]+"/ws", nil)
	cancel()
	if err != nil {
		return
	}
	defer c.Close()
	if err := c.WriteJSON(protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleStage, Name: sc.name}); err != nil {
		return
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() { // probe, and drop the link once another server is chosen
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				c.Close()
				return
			case <-tick.C:
				if sc.choose(false) != p {
					c.Close()
					return
				}
			}
		}
	}()
	for {
		var m struct {
			Type   string        `json:"type"`
			State  protocol.View `json:"state"`
			FireID string        `json:"fireId"`
		}
		if err := c.ReadJSON(&m); err != nil {
			return
		}
		sc.mu.Lock()
		switch m.Type {
		case protocol.TypeState:
			if m.State.Epoch < sc.epoch {
				sc.lower++ // never shown: the rule
				sc.mu.Unlock()
				return // this server is stale: move away
			}
			sc.epoch, sc.state = m.State.Epoch, m.State
			if _, ok := sc.seenAt[m.State.Epoch]; !ok {
				sc.seenAt[m.State.Epoch] = time.Now()
			}
		case protocol.TypeFire:
			sc.fireIDs[m.FireID]++
		}
		sc.mu.Unlock()
	}
}

// choose asks both servers who they are and picks the primary of the
// highest epoch; with failed set, the current one is not a candidate (its
// link just failed) unless it is the only one answering.
func (sc *netScreen) choose(failed bool) *proc {
	best, bestEpoch := (*proc)(nil), uint64(0)
	for _, p := range sc.procs() {
		pr, ok := p.pair()
		if !ok || pr.Role != protocol.RolePrimary {
			continue
		}
		if best == nil || pr.Epoch > bestEpoch {
			best, bestEpoch = p, pr.Epoch
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	switch {
	case best != nil && bestEpoch >= sc.epoch:
		sc.on = best
	case failed:
		ps := sc.procs()
		if sc.on == ps[0] {
			sc.on = ps[1]
		} else {
			sc.on = ps[0]
		}
	}
	return sc.on
}

// waitFollowed waits until every screen shows epoch, and returns the
// longest time a screen took from since.
func waitFollowed(t *testing.T, screens []*netScreen, epoch uint64, since time.Time) time.Duration {
	t.Helper()
	var worst time.Duration
	waitFor(t, 20*time.Second, fmt.Sprintf("every screen at epoch %d", epoch), func() bool {
		worst = 0
		for _, sc := range screens {
			sc.mu.Lock()
			at, ok := sc.seenAt[epoch]
			sc.mu.Unlock()
			if !ok {
				return false
			}
			worst = max(worst, at.Sub(since))
		}
		return true
	})
	return worst
}

// TestNetnsKillThePrimaryMidStreamThenAfterAFire: the primary is killed
// with SIGKILL at a random point of a stream of commands; every command
// it answered is on the standby; one takeover later every screen follows
// the new primary within followBound; the old primary comes back and
// steps down. Then the same the other way round right after a fire: the
// press resent to the new primary is answered as the first, and no
// screen sees a second fire.
func TestNetnsKillThePrimaryMidStreamThenAfterAFire(t *testing.T) {
	np := startNetPair(t)
	var procMu sync.Mutex
	procs := func() [2]*proc { procMu.Lock(); defer procMu.Unlock(); return [2]*proc{np.p, np.s} }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	screens := np.screens(ctx, t, 8, procs)

	// A stream of identified commands, killed at a random point.
	type acked struct {
		body string
		seq  uint64
	}
	var answered []acked
	streamDone := make(chan struct{})
	go func() {
		defer close(streamDone)
		for i := 0; ; i++ {
			body := fmt.Sprintf(`{"type":"add-time","seconds":%d,"id":"c-%d"}`, 1+i%3, i)
			code, data := np.p.call("POST", "/api/v1/commands", testToken, body)
			if code != 200 {
				return
			}
			var sb display.StateBody
			if json.Unmarshal(data, &sb) == nil {
				answered = append(answered, acked{body, sb.Answer.Seq})
			}
		}
	}()
	time.Sleep(time.Duration(300+rand.IntN(1200)) * time.Millisecond)
	np.p.kill(t)
	<-streamDone
	if len(answered) == 0 {
		t.Fatal("no command was answered before the kill")
	}

	took := time.Now()
	tk := np.s.must(t, "/api/v1/takeover", testToken, `{}`)
	if tk.State.Epoch != 1 {
		t.Fatalf("the takeover made epoch %d", tk.State.Epoch)
	}
	// 0 lost: every command the primary answered is on the new primary,
	// which answers its retry with the same seq.
	for _, a := range answered {
		if got := np.s.must(t, "/api/v1/commands", testToken, a.body); got.Answer.Seq != a.seq {
			t.Fatalf("%s was answered seq %d by the old primary, %d by the new: lost", a.body, a.seq, got.Answer.Seq)
		}
	}
	worst := waitFollowed(t, screens, 1, took)
	t.Logf("%d commands answered before the kill, none lost; every screen on the new primary %s after the takeover", len(answered), worst.Round(time.Millisecond))
	if worst > followBound {
		t.Errorf("a screen took %s to follow the new primary, want within %s", worst, followBound)
	}

	// The old primary comes back on its own and steps down.
	procMu.Lock()
	np.p = np.restart(t, 'P')
	procMu.Unlock()
	np.waitRoles(t, np.s, np.p, 1)

	// Now right after a fire, the other way round.
	np.s.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	np.s.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	const press = `{"button":"nut-1","name":"Nút Chủ tịch","pressId":"p-netns"}`
	fired := np.s.must(t, "/api/v1/press", testKey, press)
	if fired.Answer.Outcome != "fired" {
		t.Fatalf("the press: %+v", fired.Answer)
	}
	np.s.kill(t)
	took = time.Now()
	tk = np.p.must(t, "/api/v1/takeover", testToken, `{}`)
	if tk.State.Epoch != 2 || tk.State.Launch.FireID != fired.State.Launch.FireID {
		t.Fatalf("the second takeover: epoch %d fire %q, want 2 and %q", tk.State.Epoch, tk.State.Launch.FireID, fired.State.Launch.FireID)
	}
	again := np.p.must(t, "/api/v1/press", testKey, press)
	if again.Answer.Outcome != "fired" || again.Answer.Seq != fired.Answer.Seq {
		t.Fatalf("the press resent: %+v, want the first answer %+v", again.Answer, fired.Answer)
	}
	worst = waitFollowed(t, screens, 2, took)
	t.Logf("every screen on the second new primary %s after the takeover", worst.Round(time.Millisecond))
	if worst > followBound {
		t.Errorf("a screen took %s to follow the second new primary, want within %s", worst, followBound)
	}
	procMu.Lock()
	np.s = np.restart(t, 'S')
	procMu.Unlock()
	np.waitRoles(t, np.p, np.s, 2)

	for _, sc := range screens {
		sc.mu.Lock()
		fires, lower := sc.fireIDs, sc.lower
		sc.mu.Unlock()
		for id, n := range fires {
			if id != fired.State.Launch.FireID || n > 1 {
				t.Errorf("%s saw fire %q %d times; want only %q, once", sc.name, id, n, fired.State.Launch.FireID)
			}
		}
		if lower != 0 {
			t.Errorf("%s was sent %d states of a lower epoch after a higher one", sc.name, lower)
		}
	}
}

// TestNetnsSplitBrain: the servers' link is cut while both laptops live
// and the screens reach both. The old primary goes on at epoch 0; the
// operator takes over on the standby (epoch 1). Every screen ends on
// epoch 1 and never shows epoch 0 again; when the link comes back the old
// primary steps down and follows.
func TestNetnsSplitBrain(t *testing.T) {
	np := startNetPair(t)
	procs := func() [2]*proc { return [2]*proc{np.p, np.s} }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	screens := np.screens(ctx, t, 8, procs)

	np.n.setLink("down")
	np.p.must(t, "/api/v1/commands", testToken, `{"type":"message","text":"cũ"}`)
	waitFor(t, 15*time.Second, "the standby losing the primary", func() bool {
		pr, ok := np.s.pair()
		return ok && !pr.Connected
	})
	took := time.Now()
	np.s.must(t, "/api/v1/takeover", testToken, `{}`)
	np.s.must(t, "/api/v1/commands", testToken, `{"type":"message","text":"mới"}`)
	worst := waitFollowed(t, screens, 1, took)
	t.Logf("split brain: every screen on epoch 1 %s after the takeover", worst.Round(time.Millisecond))
	if worst > followBound {
		t.Errorf("a screen took %s to follow, want within %s", worst, followBound)
	}
	// The old primary still takes commands (it cannot know), at epoch 0.
	if got := np.p.must(t, "/api/v1/commands", testToken, `{"type":"message","text":"cũ 2"}`); got.State.Epoch != 0 {
		t.Fatalf("the cut-off primary answered at epoch %d", got.State.Epoch)
	}
	waitFor(t, 10*time.Second, "every screen showing the new primary's message", func() bool {
		for _, sc := range screens {
			if v := sc.view(); v.Epoch != 1 || v.Message.Text != "mới" {
				return false
			}
		}
		return true
	})

	np.n.setLink("up")
	np.waitRoles(t, np.s, np.p, 1)
	code, body := np.p.call("GET", "/api/v1/state", "", "")
	var sb display.StateBody
	if err := json.Unmarshal(body, &sb); code != 200 || err != nil || sb.State.Epoch != 1 || sb.State.Message.Text != "mới" {
		t.Fatalf("the old primary after the link came back: %d %s", code, body)
	}
	for _, sc := range screens {
		if v := sc.view(); v.Epoch != 1 || v.Message.Text != "mới" {
			t.Errorf("%s ends at epoch %d showing %q", sc.name, v.Epoch, v.Message.Text)
		}
	}
	// What the old primary answered alone is journalled as discarded, in
	// its report.
	code, body = np.p.call("GET", "/api/v1/report?format=csv", "", "")
	if code != 200 || !strings.Contains(string(body), "bỏ lệnh 1–2 của phiên 0") {
		t.Errorf("the old primary's report: %d %s; want the discarded commands", code, body)
	}
}

// agentBinary builds the button agent once, next to the server's binary.
func agentBinary(t *testing.T) string {
	t.Helper()
	dir := filepath.Dir(binary(t))
	agentOnce.Do(func() {
		agentPath = filepath.Join(dir, "phatdong-button")
		if out, err := exec.Command("go", "build", "-o", agentPath, "../phatdong-button").CombinedOutput(); err != nil {
			agentErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if agentErr != nil {
		t.Fatalf("go build the agent: %v", agentErr)
	}
	return agentPath
}

var (
	agentOnce sync.Once
	agentPath string
	agentErr  error
)

// netAgent is the real button agent running in the clients' namespace,
// simulated: each line written to it is a press.
type netAgent struct {
	cmd   *exec.Cmd
	press io.WriteCloser
	mu    sync.Mutex
	lines []string
}

func (np *netPair) startAgent(t *testing.T) *netAgent {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", np.n.ns['C'], agentBinary(t), "--simulate")
	cmd.Env = append(os.Environ(),
		"PHATDONG_SERVER=ws://"+primaryAddr+":"+serverPort+"/ws", "PHATDONG_STANDBY=ws://"+standbyAddr+":"+serverPort+"/ws",
		"PHATDONG_BUTTON_KEY="+testKey, "PHATDONG_BUTTON_ID=nut-1", "PHATDONG_BUTTON_NAME=Nút Chủ tịch", "PHATDONG_MAX_AGE=8s")
	a := &netAgent{cmd: cmd}
	var err error
	if a.press, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the agent: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			a.mu.Lock()
			a.lines = append(a.lines, sc.Text())
			a.mu.Unlock()
		}
	}()
	return a
}

// logged counts the agent's log lines holding s.
func (a *netAgent) logged(s string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, l := range a.lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// TestNetnsTheButtonFiresOnceAcrossATakeover: the real button agent, in
// the clients' namespace, knows both servers. The leader presses and the
// primary is killed at that instant, the press in flight; one takeover
// later the agent, following the new primary, has the press answered
// there: the launch fires once, every screen sees one fire id.
func TestNetnsTheButtonFiresOnceAcrossATakeover(t *testing.T) {
	np := startNetPair(t)
	var procMu sync.Mutex
	procs := func() [2]*proc { procMu.Lock(); defer procMu.Unlock(); return [2]*proc{np.p, np.s} }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	screens := np.screens(ctx, t, 6, procs)
	agent := np.startAgent(t)
	waitFor(t, 20*time.Second, "the agent connected, its clock synced", func() bool {
		return agent.logged("button: connected") > 0 && agent.logged("clock synced") > 0
	})
	np.p.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	np.p.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	time.Sleep(300 * time.Millisecond) // the agent sees the launch armed

	if _, err := io.WriteString(agent.press, "\n"); err != nil {
		t.Fatal(err)
	}
	np.p.kill(t) // the press in flight
	np.s.must(t, "/api/v1/takeover", testToken, `{}`)

	var fired display.StateBody
	waitFor(t, 15*time.Second, "the launch fired on the new primary", func() bool {
		code, body := np.s.call("GET", "/api/v1/state", "", "")
		return code == 200 && json.Unmarshal(body, &fired) == nil && fired.State.Launch.Phase == "fired"
	})
	waitFor(t, 10*time.Second, "every screen seeing the fire", func() bool {
		for _, sc := range screens {
			if sc.view().Launch.FireID != fired.State.Launch.FireID {
				return false
			}
		}
		return true
	})
	time.Sleep(time.Second) // a second fire, if any, would come now
	for _, sc := range screens {
		sc.mu.Lock()
		fires := sc.fireIDs
		sc.mu.Unlock()
		for id, n := range fires {
			if id != fired.State.Launch.FireID || n > 1 {
				t.Errorf("%s saw fire %q %d times; want only %q, once", sc.name, id, n, fired.State.Launch.FireID)
			}
		}
	}
	code, body := np.s.call("GET", "/api/v1/report", "", "")
	var rep struct {
		Report struct {
			Launch struct {
				Triggers []struct {
					Outcome string `json:"outcome"`
				} `json:"triggers"`
			} `json:"launch"`
		} `json:"report"`
	}
	if err := json.Unmarshal(body, &rep); code != 200 || err != nil {
		t.Fatalf("report: %d %s", code, body)
	}
	firedCount := 0
	for _, tr := range rep.Report.Launch.Triggers {
		if tr.Outcome == "fired" {
			firedCount++
		}
	}
	if firedCount != 1 {
		t.Fatalf("the new primary's journal has %d firing presses, want 1: %s", firedCount, body)
	}
	t.Logf("fired once (%s); the agent logged %d press answers", fired.State.Launch.FireID, agent.logged("press answered"))
}

// TestNetnsAutomaticTakeoverNeedsTheButtonAsWitness: a standby with
// --auto-takeover 3s and the real button agent as its witness. A cut link
// between the laptops alone (the agent still hears the primary) never
// makes it take over; the primary killed, it takes over by itself, every
// screen follows, and the button fires the launch once there.
func TestNetnsAutomaticTakeoverNeedsTheButtonAsWitness(t *testing.T) {
	const auto = 3 * time.Second
	np := startNetPair(t, "--auto-takeover", auto.String())
	procs := func() [2]*proc { return [2]*proc{np.p, np.s} }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	screens := np.screens(ctx, t, 6, procs)
	agent := np.startAgent(t)
	waitFor(t, 20*time.Second, "the agent connected", func() bool { return agent.logged("button: connected") > 0 })

	np.n.setLink("down")
	time.Sleep(auto + 3*time.Second)
	if pr, ok := np.s.pair(); !ok || pr.Role != protocol.RoleStandby || pr.Connected {
		t.Fatalf("with only the laptops' link cut, the standby's pair is %+v (reached %v); want a standby that lost the primary and waits", pr, ok)
	}
	np.n.setLink("up")
	np.waitRoles(t, np.p, np.s, 0)

	killed := time.Now()
	np.p.kill(t)
	worst := waitFollowed(t, screens, 1, killed)
	t.Logf("automatic takeover (%s): every screen on the new primary %s after the primary died", auto, worst.Round(time.Millisecond))
	if worst > auto+4*time.Second {
		t.Errorf("the screens followed %s after the primary died; want within %s", worst, auto+4*time.Second)
	}
	code, body := np.s.call("GET", "/api/v1/report", "", "")
	if code != 200 || !strings.Contains(string(body), "tự động (nhân chứng") {
		t.Fatalf("the new primary's report: %d %.300s; want the automatic takeover with its witness", code, body)
	}

	np.s.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	np.s.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	time.Sleep(300 * time.Millisecond)
	if _, err := io.WriteString(agent.press, "\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "every screen seeing the fire", func() bool {
		for _, sc := range screens {
			if sc.view().Launch.Phase != "fired" {
				return false
			}
		}
		return true
	})
}
