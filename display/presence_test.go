package display

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

func TestDevicesGoToOperatorsOnly(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.devicesFast, tu.devicesSlow = 50*time.Millisecond, 100*time.Millisecond })
	op := env.operator()
	screens := []*peer{env.screen("a"), env.screen("b"), env.join(protocol.HelloMsg{Role: RolePresenter, Name: "speaker"})}
	for {
		m, _ := op.until("devices")
		if m.Counts[RoleStage] == 2 && m.Counts[RolePresenter] == 1 && m.Counts[RoleOperator] == 1 && len(m.Devices) == 4 {
			break
		}
	}
	screens[0].send(map[string]any{"type": "report", "offset": -3.5, "rtt": 1.25, "uncertainty": 0.7})
	for {
		m, _ := op.until("devices")
		if d := m.Devices[1]; d.Name == "a" && d.RTTMs != nil && *d.RTTMs == 1.25 && *d.OffsetMs == -3.5 {
			break
		}
	}
	// A later list, one more screen: the list above has gone out to
	// everyone it was for (lists go out one at a time, in order).
	env.screen("marker")
	for {
		m, _ := op.until("devices")
		if m.Counts[RoleStage] == 3 {
			break
		}
	}
	for i, p := range screens {
		if m := p.read(); m.Type != "state" {
			t.Fatalf("screen %d: got %s after its welcome, want its state", i, m.Type)
		}
		p.nextIsTimeAnswer(float64(i + 1)) // screens get no device lists
	}
}

// nextIsTimeAnswer asks the time and fails the test unless the answer is
// the next message the peer reads: nothing else was queued for it.
func (p *peer) nextIsTimeAnswer(t0 float64) {
	p.t.Helper()
	p.send(map[string]any{"type": "time", "t0": t0})
	if m := p.read(); m.Type != "time" || m.T0 != t0 {
		p.t.Fatalf("asked the time (t0 %v), got a %q message (t0 %v) first", t0, m.Type, m.T0)
	}
}

// TestPresenceCostIsLinear connects 500 screens at once: each receives
// exactly its welcome and one state, whatever the others do, and the
// operator's device lists are coalesced to a few a second.
func TestPresenceCostIsLinear(t *testing.T) {
	const n = 500
	fast := 100 * time.Millisecond
	env := newHubEnv(t, func(tu *tuning) { tu.devicesFast = fast })
	op := env.operator()
	op.until("state")

	var lists int
	stages := make(chan int, 4096) // screens in each list; lists are few
	opDone := make(chan struct{})
	go func() { // count the lists until the operator's socket is closed
		defer close(opDone)
		for {
			var m msg
			op.conn.SetReadDeadline(time.Now().Add(time.Minute))
			if err := op.conn.ReadJSON(&m); err != nil {
				return
			}
			if m.Type == "devices" {
				lists++
				stages <- m.Counts[RoleStage]
			}
		}
	}()
	// listWith waits for a list that counts k screens.
	listWith := func(k int) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case got := <-stages:
				if got == k {
					return
				}
			case <-timeout:
				t.Fatalf("no device list with %d screens in 10 s", k)
			}
		}
	}

	start := time.Now()
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, _, err := protocoltest.Connect(env.url, protocol.HelloMsg{Role: RoleStage})
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
			if m, err := protocoltest.Next(c, 10*time.Second); err != nil || m.Type != protocol.TypeState {
				errs <- errors.Join(err, errors.New("got "+m.Type+" after the welcome, want state"))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	took := time.Since(start)
	// Positive events first: the operator's list counts every screen, then
	// a later one counts one more. Lists go out one at a time, so the first
	// has reached every socket it was for by then.
	listWith(n)
	env.screen("marker")
	listWith(n + 1)
	// Then the next thing each screen reads is the answer to its own time
	// request: nothing came after its state.
	for i, c := range conns {
		p := &peer{t: t, conn: c}
		p.nextIsTimeAnswer(float64(i + 1))
		c.Close()
	}
	window := time.Since(start)
	op.conn.Close()
	<-opDone
	max := int(window/fast) + 2
	t.Logf("%d screens connected in %v; the operator got %d device lists (at most %d allowed)", n, took, lists, max)
	if lists == 0 || lists > max {
		t.Fatalf("operator got %d device lists, want 1..%d", lists, max)
	}
}
