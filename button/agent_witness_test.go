package button

import (
	"slices"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// checkWitnessCalls fails the test for a report that is not a POST of a
// WitnessReport with the button key.
func checkWitnessCalls(t *testing.T, calls []witnessCall) {
	t.Helper()
	for i, c := range calls {
		if c.method != "POST" || c.auth != "Bearer "+testKey || c.contentType != "application/json" || c.err != nil {
			t.Errorf("report %d: %s, Authorization %q, Content-Type %q, body error %v; want a POST of JSON with \"Bearer %s\"",
				i, c.method, c.auth, c.contentType, c.err, testKey)
		}
	}
}

// lostOf returns the lostMs of calls.
func lostOf(calls []witnessCall) []int64 {
	out := make([]int64, len(calls))
	for i, c := range calls {
		out[i] = c.report.LostMs
	}
	return out
}

// TestAgentWitness: on the primary A, the agent tells the standby B once a
// second that it hears A (lostMs 0), with the button key; once A is gone,
// the reports to B tell a growing lostMs; once A is back and the agent on
// it, lostMs is 0 again. A, the primary, never gets a report.
func TestAgentWitness(t *testing.T) {
	p := newTestPair(t)
	ta := startAgent(t, p.a.url(), "nut-1", nil)
	waitFor(t, "A's state taken", func() bool { return ta.logs.has("button: led state", "to=off") })

	from := len(p.b.witnessed())
	waitFor(t, "three reports to B", func() bool { return len(p.b.witnessed()) >= from+3 })
	calls := p.b.witnessed()[from:]
	checkWitnessCalls(t, calls)
	for i, c := range calls {
		if c.report != (protocol.WitnessReport{}) {
			t.Errorf("report %d while linked to A: %+v, want epoch 0, lostMs 0", i, c.report)
		}
		if i > 0 && c.at.Sub(calls[i-1].at) < witnessPeriod/2 {
			t.Errorf("reports %d and %d came %v apart, want about %v", i-1, i, c.at.Sub(calls[i-1].at), witnessPeriod)
		}
	}
	if n := len(p.a.witnessed()); n != 0 {
		t.Fatalf("the primary A got %d witness reports, want none", n)
	}

	p.a.setDown(true)
	before := len(p.b.witnessed())
	waitFor(t, "a report of A lost for a second", func() bool {
		return slices.ContainsFunc(p.b.witnessed()[before:], func(c witnessCall) bool { return c.report.LostMs >= 1000 })
	})
	lost := p.b.witnessed()[before:]
	checkWitnessCalls(t, lost)
	ms := lostOf(lost)
	first := slices.IndexFunc(ms, func(n int64) bool { return n > 0 })
	for i := first + 1; i < len(ms); i++ {
		if ms[i] <= ms[i-1] {
			t.Errorf("lostMs after A died: %v, want it growing", ms)
			break
		}
	}
	if slices.ContainsFunc(ms[first:], func(n int64) bool { return n == 0 }) {
		t.Errorf("lostMs after A died: %v, want no 0 once it grew", ms)
	}

	p.a.setDown(false)
	waitFor(t, "the agent back on A", func() bool { return p.a.connected() == 1 })
	back := len(p.b.witnessed())
	waitFor(t, "a report of A heard again", func() bool {
		return slices.ContainsFunc(p.b.witnessed()[back:], func(c witnessCall) bool { return c.report.LostMs == 0 })
	})
	again := back + slices.IndexFunc(p.b.witnessed()[back:], func(c witnessCall) bool { return c.report.LostMs == 0 })
	waitFor(t, "two more reports to B", func() bool { return len(p.b.witnessed()) >= again+3 })
	for i, c := range p.b.witnessed()[again:] {
		if c.report.LostMs != 0 {
			t.Errorf("report %d after A came back: lostMs %d, want 0", i, c.report.LostMs)
		}
	}
	if n := len(p.a.witnessed()); n != 0 {
		t.Errorf("the primary A got %d witness reports, want none", n)
	}
}

// TestAgentWitnessNeverHeard: A is down from the start; the agent, on the
// standby B, tells it how long it has been trying: lostMs above 0 from the
// first report, growing.
func TestAgentWitnessNeverHeard(t *testing.T) {
	p := newTestPair(t)
	p.a.setDown(true)
	p.takeoverEpoch(2) // a pair that has already changed hands: the epoch is reported
	startAgent(t, p.b.url(), "nut-1", nil)
	waitFor(t, "two reports to B", func() bool { return len(p.b.witnessed()) >= 2 })
	calls := p.b.witnessed()
	checkWitnessCalls(t, calls)
	if calls[0].report.LostMs <= 0 || calls[1].report.LostMs <= calls[0].report.LostMs {
		t.Errorf("lostMs %v, want above 0 and growing", lostOf(calls))
	}
	for i, c := range calls {
		if c.report.Epoch != 2 {
			t.Errorf("report %d: epoch %d, want 2", i, c.report.Epoch)
		}
	}
}

// takeoverEpoch sets both servers' epoch to e, A still the primary, as
// after a takeover and a hand back.
func (p *testPair) takeoverEpoch(e uint64) {
	p.mu.Lock()
	p.epoch[p.a], p.epoch[p.b] = e, e
	p.syncLocked()
	p.mu.Unlock()
	for _, f := range []*fakeServer{p.a, p.b} {
		f.mu.Lock()
		f.epoch = e
		f.mu.Unlock()
	}
}

// TestWitnessLostMs: the rule of lostMs.
func TestWitnessLostMs(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		heard  time.Duration // after start; <0 never heard
		linked bool
		now    time.Duration // after start
		want   int64
	}{
		{"linked to the primary", 2 * time.Second, true, 9 * time.Second, 0},
		{"linked, never heard before", -1, true, 9 * time.Second, 0},
		{"lost after hearing it", 2 * time.Second, false, 5500 * time.Millisecond, 3500},
		{"never heard: since the start", -1, false, 1500 * time.Millisecond, 1500},
		{"just lost", 3 * time.Second, false, 3 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := witness{started: start}
			if tc.heard >= 0 {
				w.heard = start.Add(tc.heard)
			}
			if got := w.lostMs(tc.linked, start.Add(tc.now)); got != tc.want {
				t.Errorf("lostMs = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestWitnessTargets: only the servers believed standbys, and only in a
// pair; the epoch reported is the highest seen.
func TestWitnessTargets(t *testing.T) {
	srv := func(u, role string, epoch uint64) *knownServer {
		return &knownServer{url: u, serverView: serverView{role: role, epoch: epoch}}
	}
	for _, tc := range []struct {
		name      string
		list      []*knownServer
		seen      uint64
		want      []string
		wantEpoch uint64
	}{
		{"a single server", []*knownServer{srv("ws://a/ws", protocol.RolePrimary, 0)}, 0, nil, 0},
		{"a single standby", []*knownServer{srv("ws://b/ws", protocol.RoleStandby, 1)}, 0, nil, 1},
		{"primary and standby", []*knownServer{srv("ws://a/ws", protocol.RolePrimary, 3), srv("ws://b/ws", protocol.RoleStandby, 3)}, 3, []string{"ws://b/ws"}, 3},
		{"roles unknown", []*knownServer{srv("ws://a/ws", "", 0), srv("ws://b/ws", "", 0)}, 0, nil, 0},
		{"two primaries", []*knownServer{srv("ws://a/ws", protocol.RolePrimary, 1), srv("ws://b/ws", protocol.RolePrimary, 2)}, 1, nil, 2},
		{"epoch from a state", []*knownServer{srv("ws://a/ws", protocol.RoleStandby, 1), srv("ws://b/ws", "", 1)}, 4, []string{"ws://a/ws"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := serverSet{list: tc.list, seen: tc.seen}
			if got := s.witnessTargets(); !slices.Equal(got, tc.want) {
				t.Errorf("targets %v, want %v", got, tc.want)
			}
			if got := s.highestEpoch(); got != tc.wantEpoch {
				t.Errorf("epoch %d, want %d", got, tc.wantEpoch)
			}
		})
	}
}
