package display

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// A screen that promised heartbeats and went silent (a frozen tab) is cut
// after three of them, though it still answers pings; one that keeps
// talking, and one that promised nothing, stay.
func TestSilentSocketsThatPromisedHeartbeatsAreCut(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) {
		tu.minSilence, tu.silenceCheck = 100*time.Millisecond, 50*time.Millisecond
		tu.pingAfter = 200 * time.Millisecond // pings go out, and are answered
	})
	frozen := env.join(protocol.HelloMsg{Role: RoleStage, Name: "treo", HeartbeatMs: protocol.MinHeartbeatMs})
	talking := env.join(protocol.HelloMsg{Role: RoleStage, Name: "sống", HeartbeatMs: protocol.MinHeartbeatMs})
	quiet := env.join(protocol.HelloMsg{Role: RoleStage, Name: "không hứa"})

	start := time.Now()
	done := make(chan int, 1)
	go func() { done <- frozen.closeCode() }() // reads, so it answers pings
	for time.Since(start) < 4*time.Second {
		talking.send(map[string]any{"type": "time", "t0": 1})
		if m, _ := talking.until("time"); m.Type != "time" {
			t.Fatalf("the talking screen got %+v", m)
		}
		time.Sleep(300 * time.Millisecond)
	}
	select {
	case code := <-done:
		if code != websocket.ClosePolicyViolation {
			t.Fatalf("the silent screen was closed with %d, want %d", code, websocket.ClosePolicyViolation)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the silent screen that promised heartbeats was not cut")
	}
	if n := len(env.hub.introduced()); n != 2 {
		t.Fatalf("%d screens left, want the talking one and the one that promised nothing", n)
	}
	quiet.send(map[string]any{"type": "time", "t0": 1})
	if m, _ := quiet.until("time"); m.Type != "time" {
		t.Fatalf("the screen that promised nothing got %+v", m)
	}
}

func TestHeartbeatOutOfBoundsIsRefused(t *testing.T) {
	env := newHubEnv(t, nil)
	for _, hb := range []int{protocol.MinHeartbeatMs - 1, protocol.MaxHeartbeatMs + 1, -5} {
		e := env.refusedHello(protocol.HelloMsg{Role: RoleStage, HeartbeatMs: hb})
		if e.Code != controller.EINVALID || e.Field != "heartbeatMs" {
			t.Errorf("heartbeatMs %d: %+v", hb, e)
		}
	}
}
