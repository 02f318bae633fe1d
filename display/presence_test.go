package display

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestDevicesGoToOperatorsOnly(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.devicesFast, tu.devicesSlow = 50*time.Millisecond, 100*time.Millisecond })
	op := env.operator()
	screens := []*peer{env.screen("a"), env.screen("b"), env.join(map[string]any{"role": RolePresenter, "name": "speaker"})}
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
	for i, p := range screens {
		m, _ := p.until("state")
		if _, err := p.tryRead(300 * time.Millisecond); !isTimeout(err) {
			t.Fatalf("screen %d got a message after its state (%v); screens get no device lists", i, err)
		}
		_ = m
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
			}
		}
	}()

	start := time.Now()
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, _, err := websocket.DefaultDialer.Dial(env.url, nil)
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
			if err := c.WriteJSON(map[string]any{"type": "hello", "role": RoleStage}); err != nil {
				errs <- err
				return
			}
			for _, want := range []string{"welcome", "state"} {
				var m msg
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				if err := c.ReadJSON(&m); err != nil || m.Type != want {
					errs <- errors.Join(err, errors.New("got "+m.Type+", want "+want))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	took := time.Since(start)
	time.Sleep(3 * fast) // let the last list go out
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, data, err := c.ReadMessage(); !isTimeout(err) {
			t.Fatalf("screen %d got %s (%v) after its state", i, data, err)
		}
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

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
