package button

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// TestAgentLearnsPairFromServersMsg: the agent connects to A while it is
// alone (a welcome without servers); the standby B starts and A pushes the
// pair's servers. The agent probes B within about a second and sends it
// witness reports, without holding a press meanwhile; when A dies and B
// takes over at epoch 1, the agent is on B within 2 s, and a press fires
// on B once.
func TestAgentLearnsPairFromServersMsg(t *testing.T) {
	p := newTestPair(t)
	var alone atomic.Bool
	alone.Store(true)
	p.a.pair = func() ([]protocol.ServerInfo, bool) {
		if alone.Load() {
			return nil, true // no standby configured yet: A is alone
		}
		return p.servers(p.a)
	}
	ta := startAgent(t, p.a.url(), "nut-1", nil)
	waitFor(t, "A's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })

	alone.Store(false)
	servers, _ := p.servers(p.a)
	pushed := time.Now()
	p.a.pushServers(servers)
	waitFor(t, "B probed", func() bool { return p.b.pairAsked() >= 1 })
	if took := time.Since(pushed); took > 1500*time.Millisecond {
		t.Errorf("B was first probed %v after the servers message, want about 1 s at most", took)
	}
	if !ta.logs.has("the pair's servers changed") {
		t.Errorf("the log does not tell that the agent learnt of the pair")
	}

	ta.press(0)
	waitFor(t, "the press answered by A", func() bool { return len(ta.resultList()) == 1 })
	if r := ta.resultList()[0]; r.Outcome != protocol.OutcomeFired || r.Sends != 1 || pressesOf(p.a, r.PressID) != 1 {
		t.Errorf("press after the servers message: %+v, want fired by A on the first send", r)
	}
	if ta.logs.has("press held") {
		t.Errorf("a press was held after the servers message, want it sent at once")
	}

	waitFor(t, "a witness report to B", func() bool { return len(p.b.witnessed()) >= 1 })
	calls := p.b.witnessed()
	checkWitnessCalls(t, calls)
	if calls[0].report.LostMs != 0 {
		t.Errorf("first report to B: %+v, want lostMs 0 while on A", calls[0].report)
	}
	if n := len(p.a.witnessed()); n != 0 {
		t.Errorf("the primary A got %d witness reports, want none", n)
	}

	p.a.setDown(true)
	start := time.Now()
	p.takeover(p.b, false)
	waitFor(t, "the agent on B", func() bool { return p.b.connected() == 1 })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the agent was on B %v after the takeover, want within 2 s", took)
	}

	ta.press(time.Millisecond)
	waitFor(t, "the press answered by B", func() bool { return len(ta.resultList()) == 2 })
	r := ta.resultList()[1]
	if r.Outcome != protocol.OutcomeFired {
		t.Errorf("press on B: %+v, want fired", r)
	}
	if fires, _ := p.counts(r.PressID, p.b); fires != 1 || pressesOf(p.b, r.PressID) != 1 || pressesOf(p.a, r.PressID) != 0 {
		t.Errorf("press %s: fired %d times, B received it %d times, A %d; want 1, 1, 0",
			r.PressID, fires, pressesOf(p.b, r.PressID), pressesOf(p.a, r.PressID))
	}
}

// TestAgentServersMsgTakeoverResends: the agent is on the standby B (A is
// down) with a press B refused. B takes over and tells it first in a
// servers message (itself primary at epoch 1) rather than a state: the
// held press is sent again to B at once, with the same id, and fires once.
func TestAgentServersMsgTakeoverResends(t *testing.T) {
	p := newTestPair(t)
	p.a.setDown(true)
	ta := startAgent(t, p.b.url(), "nut-1", nil)
	waitFor(t, "B's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })
	ta.press(0)
	waitFor(t, "the press refused by the standby", func() bool { _, n := p.counts("", p.b); return n == 1 })
	waitFor(t, "the press held", func() bool { return ta.logs.has("press refused by a standby server") })

	p.mu.Lock()
	p.role[p.b], p.epoch[p.b] = protocol.RolePrimary, 1
	p.mu.Unlock()
	servers, _ := p.servers(p.b)
	p.b.pushServers(servers)
	waitFor(t, "the press answered", func() bool { return len(ta.resultList()) == 1 })
	r := ta.resultList()[0]
	if r.Outcome != protocol.OutcomeFired || r.Sends != 2 || r.Dropped {
		t.Errorf("press: %+v, want fired on the second send", r)
	}
	if fires, refused := p.counts(r.PressID, p.b); fires != 1 || refused != 1 || pressesOf(p.b, r.PressID) != 2 {
		t.Errorf("fires %d, refusals %d, sends to B %d; want 1, 1, 2", fires, refused, pressesOf(p.b, r.PressID))
	}
}
