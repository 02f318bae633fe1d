package button

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// testPair is two fake servers forming a pair, A first the primary and B
// its standby. A standby refuses presses with not_primary; a primary
// answers a press id the way the pair first answered it (the standby holds
// the primary's answers), so a resend never fires twice.
type testPair struct {
	a, b *fakeServer

	mu sync.Mutex
	// role and epoch are each server's own.
	role  map[*fakeServer]string
	epoch map[*fakeServer]uint64
	// heard is what each server last heard of the other.
	heard map[*fakeServer]protocol.ServerInfo
	// hidden servers fail GET /api/v1/pair.
	hidden map[*fakeServer]bool
	// answers are the pair's first answers by press id; fires counts the
	// presses that fired the launch (the first answer only).
	answers map[string]string
	fires   map[string]int
	// refused counts the not_primary refusals per server.
	refused map[*fakeServer]int
	// onRefuse, if set, runs after a standby refused a press.
	onRefuse func()
}

func newTestPair(t *testing.T) *testPair {
	p := &testPair{
		a: newFakeServer(t), b: newFakeServer(t),
		role: map[*fakeServer]string{}, epoch: map[*fakeServer]uint64{}, heard: map[*fakeServer]protocol.ServerInfo{},
		hidden: map[*fakeServer]bool{}, answers: map[string]string{}, fires: map[string]int{}, refused: map[*fakeServer]int{},
	}
	p.role[p.a], p.role[p.b] = protocol.RolePrimary, protocol.RoleStandby
	for _, f := range []*fakeServer{p.a, p.b} {
		f.pair = func() ([]protocol.ServerInfo, bool) { return p.servers(f) }
		f.decide = func(m protocol.PressMsg, _ int) (string, string, bool, bool) { return p.decide(f, m) }
	}
	p.mu.Lock()
	p.syncLocked()
	p.mu.Unlock()
	return p
}

// other is the server of the pair that is not f.
func (p *testPair) other(f *fakeServer) *fakeServer {
	if f == p.a {
		return p.b
	}
	return p.a
}

// infoLocked is f as it describes itself.
func (p *testPair) infoLocked(f *fakeServer) protocol.ServerInfo {
	return protocol.ServerInfo{URLs: []string{f.srv.URL}, Role: p.role[f], Epoch: p.epoch[f], Self: true}
}

// syncLocked makes each server hear of the other as it is now.
func (p *testPair) syncLocked() {
	for _, f := range []*fakeServer{p.a, p.b} {
		info := p.infoLocked(p.other(f))
		info.Self = false
		p.heard[f] = info
	}
}

// servers is the pair as f lists it: itself, then the other as last heard.
func (p *testPair) servers(f *fakeServer) ([]protocol.ServerInfo, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return []protocol.ServerInfo{p.infoLocked(f), p.heard[f]}, !p.hidden[f]
}

func (p *testPair) decide(f *fakeServer, m protocol.PressMsg) (outcome, code string, cut, silent bool) {
	p.mu.Lock()
	if p.role[f] != protocol.RolePrimary {
		p.refused[f]++
		hook := p.onRefuse
		p.mu.Unlock()
		if hook != nil {
			hook()
		}
		return "", protocol.CodeNotPrimary, false, false
	}
	defer p.mu.Unlock()
	if first, ok := p.answers[m.PressID]; ok {
		return first, "", false, false
	}
	p.answers[m.PressID] = protocol.OutcomeFired
	p.fires[m.PressID]++
	return protocol.OutcomeFired, "", false, false
}

// setHidden makes f's GET /api/v1/pair fail, or answer again.
func (p *testPair) setHidden(f *fakeServer, hidden bool) {
	p.mu.Lock()
	p.hidden[f] = hidden
	p.mu.Unlock()
}

// takeover makes f the primary at the next epoch, and sends its state. With
// heard, the other server hears of it.
func (p *testPair) takeover(f *fakeServer, heard bool) {
	p.mu.Lock()
	e := max(p.epoch[p.a], p.epoch[p.b]) + 1
	p.role[f], p.epoch[f] = protocol.RolePrimary, e
	if heard {
		p.syncLocked()
	}
	p.mu.Unlock()
	f.mu.Lock()
	f.epoch = e
	f.mu.Unlock()
	f.broadcast(f.stateMsg())
}

// counts returns the fires of id and the not_primary refusals of f.
func (p *testPair) counts(id string, f *fakeServer) (fires, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fires[id], p.refused[f]
}

// pressesOf counts the presses of id that f received.
func pressesOf(f *fakeServer, id string) int {
	_, presses, _ := f.snapshot()
	n := 0
	for _, m := range presses {
		if m.PressID == id {
			n++
		}
	}
	return n
}

// TestAgentFollowsTakeover: the agent, given only A, learns B from A's
// welcome; A fires a first press, then dies with a second one sent and
// not answered (committed on the pair). B, still a standby, refuses it;
// once B takes over, the press is resent with the same id and answered
// as the first time, within 2 s, having fired once.
func TestAgentFollowsTakeover(t *testing.T) {
	p := newTestPair(t)
	ta := startAgent(t, p.a.url(), "nut-1", nil)
	waitFor(t, "the agent on A", func() bool { return p.a.connected() == 1 })

	ta.press(0)
	waitFor(t, "the first press answered", func() bool { return len(ta.resultList()) == 1 })
	if r := ta.resultList()[0]; r.Outcome != protocol.OutcomeFired || r.Sends != 1 {
		t.Fatalf("first press: %+v, want fired on the first send", r)
	}

	// A commits the second press (the pair holds its answer), then dies
	// before answering.
	dead := make(chan struct{})
	p.a.decide = func(m protocol.PressMsg, _ int) (string, string, bool, bool) {
		p.decide(p.a, m)
		close(dead)
		return "", "", false, true
	}
	ta.press(time.Millisecond)
	<-dead
	p.a.setDown(true)
	_, presses, _ := p.a.snapshot()
	id := presses[len(presses)-1].PressID

	waitFor(t, "the press refused by the standby", func() bool { _, n := p.counts(id, p.b); return n >= 1 })
	if n := len(ta.resultList()); n != 1 {
		t.Fatalf("%d results before the takeover, want 1 (not_primary is no answer)", n)
	}
	start := time.Now()
	p.takeover(p.b, false)
	waitFor(t, "the press answered by the new primary", func() bool { return len(ta.resultList()) == 2 })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the press was answered %v after the takeover, want within 2 s", took)
	}
	r := ta.resultList()[1]
	if r.PressID != id || r.Outcome != protocol.OutcomeFired || r.Sends < 3 {
		t.Errorf("second press: %+v, want %s fired after at least 3 sends (A, B standby, B primary)", r, id)
	}
	if fires, _ := p.counts(id, p.b); fires != 1 {
		t.Errorf("the press fired %d times, want once", fires)
	}
	if p.b.connected() != 1 {
		t.Errorf("the agent is not on B")
	}
}

// TestAgentStandbyPressGoesToPrimary: the agent is configured with the
// standby B; A's pair API does not answer until B has refused a press.
// The refused press is resent, with the same id, to A, and answered once.
func TestAgentStandbyPressGoesToPrimary(t *testing.T) {
	p := newTestPair(t)
	p.setHidden(p.a, true)
	p.onRefuse = func() { p.setHidden(p.a, false) }
	ta := startAgent(t, p.b.url(), "nut-1", nil)
	waitFor(t, "the agent on B", func() bool { return p.b.connected() == 1 })
	waitFor(t, "B's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })

	ta.press(0)
	waitFor(t, "the press answered", func() bool { return len(ta.resultList()) == 1 })
	r := ta.resultList()[0]
	if r.Outcome != protocol.OutcomeFired || r.Sends != 2 {
		t.Errorf("press: %+v, want fired on the second send", r)
	}
	if n := pressesOf(p.b, r.PressID); n != 1 {
		t.Errorf("B received the press %d times, want 1", n)
	}
	if n := pressesOf(p.a, r.PressID); n != 1 {
		t.Errorf("A received the press %d times, want 1", n)
	}
	if fires, refused := p.counts(r.PressID, p.b); fires != 1 || refused != 1 {
		t.Errorf("fires %d, refusals by B %d; want 1 and 1", fires, refused)
	}
	if !ta.logs.has("press refused by a standby server") || !ta.logs.has("moving to the primary of the pair") {
		t.Errorf("the log does not tell the refusal and the move")
	}
}

// TestAgentSplitBrain: A still believes itself primary at epoch 0; B took
// over at epoch 1 without A hearing of it. The agent, configured with A
// and B, ends on B and stays there; its press goes to B only.
func TestAgentSplitBrain(t *testing.T) {
	p := newTestPair(t)
	p.takeover(p.b, false)
	ta := startAgent(t, p.a.url(), "nut-1", func(c *AgentConfig) { c.Standby = p.b.url() })
	waitFor(t, "the agent on B", func() bool { return p.b.connected() == 1 && p.a.connected() == 0 })

	aHellos, _, _ := p.a.snapshot()
	bHellos, _, _ := p.b.snapshot()
	time.Sleep(3 * probePeriod) // three rounds of probes
	aNow, _, _ := p.a.snapshot()
	bNow, _, _ := p.b.snapshot()
	if len(aNow) != len(aHellos) || len(bNow) != len(bHellos) || p.b.connected() != 1 {
		t.Fatalf("the agent moved: hellos A %d→%d, B %d→%d", len(aHellos), len(aNow), len(bHellos), len(bNow))
	}
	ta.press(0)
	waitFor(t, "the press answered", func() bool { return len(ta.resultList()) == 1 })
	r := ta.resultList()[0]
	if r.Outcome != protocol.OutcomeFired || pressesOf(p.a, r.PressID) != 0 || pressesOf(p.b, r.PressID) != 1 {
		t.Errorf("press %+v: A got %d, B %d; want fired by B alone", r, pressesOf(p.a, r.PressID), pressesOf(p.b, r.PressID))
	}
}

// TestAgentLeavesStaleServer: the agent saw B's state at epoch 1; when B's
// link is cut and it reaches A, whose states are still of epoch 0 (and its
// launch armed), it ignores them and goes back to B.
func TestAgentLeavesStaleServer(t *testing.T) {
	p := newTestPair(t)
	p.takeover(p.b, false)
	p.setHidden(p.b, true) // the agent cannot tell B is primary but by its states
	p.a.setLaunch(protocol.Launch{Phase: protocol.LaunchArmed, Presses: []protocol.Press{}})
	ta := startAgent(t, p.b.url(), "nut-1", func(c *AgentConfig) { c.Standby = p.a.url() })
	waitFor(t, "the agent on B", func() bool { return p.b.connected() == 1 })
	waitFor(t, "B's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })

	p.b.cutAll()
	waitFor(t, "the stale server left", func() bool { return ta.logs.has("this server is stale") })
	waitFor(t, "the agent back on B", func() bool { return p.b.connected() == 1 })
	if ta.logs.has("button: led state", "slow blink") {
		t.Errorf("the LED showed the stale server's armed launch")
	}
}

// TestAgentAloneDoesNotProbe: a server without a pair (a welcome without
// servers, or listing itself alone) is used as before: presses go at
// once, /api/v1/pair is never asked, and no witness report is sent.
func TestAgentAloneDoesNotProbe(t *testing.T) {
	for _, tc := range []struct {
		name string
		pair func(f *fakeServer) func() ([]protocol.ServerInfo, bool)
	}{
		{"no servers", func(*fakeServer) func() ([]protocol.ServerInfo, bool) { return nil }},
		{"itself alone", func(f *fakeServer) func() ([]protocol.ServerInfo, bool) {
			return func() ([]protocol.ServerInfo, bool) {
				return []protocol.ServerInfo{{URLs: []string{f.srv.URL}, Role: protocol.RolePrimary, Self: true}}, true
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeServer(t)
			f.pair = tc.pair(f)
			ta := startAgent(t, f.url(), "nut-1", nil)
			ta.press(0) // held until the welcome, then sent at once
			waitFor(t, "the press answered", func() bool { return len(ta.resultList()) == 1 })
			time.Sleep(max(probePeriod, witnessPeriod) * 5 / 2)
			f.mu.Lock()
			asked := f.pairs
			f.mu.Unlock()
			if asked != 0 {
				t.Errorf("a single server was asked /api/v1/pair %d times, want never", asked)
			}
			if n := len(f.witnessed()); n != 0 {
				t.Errorf("a single server got %d witness reports, want none", n)
			}
			if r := ta.resultList()[0]; r.Outcome != protocol.OutcomeCounted || r.Sends != 1 {
				t.Errorf("press %+v, want counted on the first send", r)
			}
		})
	}
}

// TestAgentReconnectAlternates: with both servers down, the dials
// alternate between them; the first that comes back gets the agent.
func TestAgentReconnectAlternates(t *testing.T) {
	p := newTestPair(t)
	p.a.setDown(true)
	p.b.setDown(true)
	ta := startAgent(t, p.a.url(), "nut-1", func(c *AgentConfig) { c.Standby = p.b.url() })
	tried := func() []string {
		var out []string
		for _, line := range strings.Split(ta.logs.String(), "\n") {
			if strings.Contains(line, "cannot reach the server") {
				_, rest, _ := strings.Cut(line, "server=")
				out = append(out, strings.Fields(rest)[0])
			}
		}
		return out
	}
	waitFor(t, "four dials", func() bool { return len(tried()) >= 4 })
	got := tried()[:4]
	if want := []string{p.a.url(), p.b.url(), p.a.url(), p.b.url()}; !slices.Equal(got, want) {
		t.Errorf("dialed %v, want %v", got, want)
	}
	p.b.setDown(false)
	waitFor(t, "the agent on B", func() bool { return p.b.connected() == 1 })
}

// TestAgentParkedPressDropped: the primary is gone and the standby does
// not take over; the press it refused is held, then dropped at MaxAge,
// never sent under another id, never reported as answered.
func TestAgentParkedPressDropped(t *testing.T) {
	p := newTestPair(t)
	p.a.setDown(true)
	ta := startAgent(t, p.b.url(), "nut-1", func(c *AgentConfig) { c.MaxAge = 300 * time.Millisecond })
	waitFor(t, "B's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })
	ta.press(0)
	waitFor(t, "the press refused by the standby", func() bool { _, n := p.counts("", p.b); return n == 1 })
	ta.clock.set(ta.clock.Now().Add(time.Second))
	waitFor(t, "the press dropped", func() bool { return len(ta.resultList()) == 1 })
	r := ta.resultList()[0]
	if !r.Dropped || r.Sends != 1 || r.Outcome != "" || r.Code != "" {
		t.Errorf("press %+v, want dropped after one send, without an answer", r)
	}
	if !ta.logs.has("press dropped: only a standby server answered in time") {
		t.Errorf("the log does not say why the press was dropped")
	}
	_, presses, _ := p.b.snapshot()
	for _, m := range presses {
		if m.PressID != r.PressID {
			t.Errorf("B received press id %s, want only %s", m.PressID, r.PressID)
		}
	}
}
