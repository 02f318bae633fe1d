package display

import (
	"context"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/phatdong/phatdong/controller"
)

func TestBadMessagesChangeNothing(t *testing.T) {
	env := newHubEnv(t, nil)
	op := env.operator()
	op.until("state")
	seq := env.seq()
	cases := []struct {
		name string
		send func()
		code string
	}{
		{"malformed JSON", func() { op.sendRaw(`{"type":"command","command":{"type":"next"`) }, controller.EINVALID},
		{"not an object", func() { op.sendRaw(`[1,2,3]`) }, controller.EINVALID},
		{"no type", func() { op.sendRaw(`{"ref":"x"}`) }, controller.EINVALID},
		{"unknown type", func() { op.sendRaw(`{"type":"reboot"}`) }, controller.EINVALID},
		{"second hello", func() { op.sendRaw(`{"type":"hello","role":"stage"}`) }, controller.EINVALID},
		{"time without t0", func() { op.sendRaw(`{"type":"time"}`) }, controller.EINVALID},
		{"oversize", func() {
			op.sendRaw(`{"type":"command","command":{"type":"message","text":"` + strings.Repeat("ệ", 3000) + `"}}`)
		}, ETOOLARGE},
		{"binary", func() {
			if err := op.conn.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"time","t0":1}`)); err != nil {
				t.Fatal(err)
			}
		}, controller.EINVALID},
	}
	for _, tc := range cases {
		tc.send()
		m, _ := op.until("error")
		if m.Error.Code != tc.code {
			t.Fatalf("%s: got %+v, want %s", tc.name, m.Error, tc.code)
		}
	}
	// The socket still works and nothing changed.
	op.send(map[string]any{"type": "time", "t0": 1.5})
	if m, _ := op.until("time"); m.T0 != 1.5 {
		t.Fatalf("time answer after bad messages = %+v", m)
	}
	if env.seq() != seq {
		t.Fatal("a bad message changed the state")
	}
	if n := counterValue(env.hub.metrics.bad); n != float64(len(cases)) {
		t.Fatalf("bad messages counted %v, want %d", n, len(cases))
	}
}

func TestGarbageFloodDisconnects(t *testing.T) {
	env := newHubEnv(t, nil)
	p := env.screen("noisy")
	for range env.hub.tune.maxStrikes + 5 {
		if err := p.conn.WriteMessage(websocket.TextMessage, []byte("garbage")); err != nil {
			break // already cut
		}
	}
	if code := p.closeCode(); code != websocket.ClosePolicyViolation {
		t.Fatalf("close code %d, want %d", code, websocket.ClosePolicyViolation)
	}
	eventually(t, "the noisy screen to be gone", func() bool { return len(env.hub.Devices()) == 0 })
}

func TestMessageFloodDisconnects(t *testing.T) {
	env := newHubEnv(t, nil)
	p := env.screen("chatty")
	limited := 0
	go func() {
		for range 200 {
			if p.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"time","t0":1}`)) != nil {
				return
			}
		}
	}()
	for {
		m, err := p.tryRead(5 * time.Second)
		if err != nil {
			if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
				t.Fatalf("ended with %v, want a policy-violation close", err)
			}
			break
		}
		if m.Type == "error" && m.Error.Code == ERATELIMITED {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("no message was rate limited")
	}
}

func TestHugeMessageCloses(t *testing.T) {
	env := newHubEnv(t, nil)
	p := env.screen("big")
	p.sendRaw(`{"type":"report","name":"` + strings.Repeat("x", hardMessageBytes) + `"}`)
	if code := p.closeCode(); code != websocket.CloseMessageTooBig {
		t.Fatalf("close code %d, want %d", code, websocket.CloseMessageTooBig)
	}
}

func TestTimeAnswer(t *testing.T) {
	env := newHubEnv(t, nil)
	p := env.screen("clock")
	p.until("state")
	t0 := float64(time.Now().UnixNano())/1e6 - 10000.123 // a clock 10 s behind
	p.send(map[string]any{"type": "time", "t0": t0})
	m := p.read()
	now := float64(time.Now().UnixNano()) / 1e6
	if m.Type != "time" || m.T0 != t0 || m.T1 > m.T2 || m.T2 > now || now-m.T1 > 1000 {
		t.Fatalf("time answer = %+v (now %.3f)", m, now)
	}
}

func TestKeepalivePings(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.pingAfter = 30 * time.Millisecond })
	p := env.screen("quiet")
	pinged := make(chan struct{}, 1)
	p.conn.SetPingHandler(func(string) error {
		select {
		case pinged <- struct{}{}:
		default:
		}
		return nil
	})
	// One read with one deadline: pings are handled inside it. (A read
	// that timed out leaves a gorilla connection failed for good, so no
	// short reads in a loop.)
	p.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	go func() {
		for {
			if _, _, err := p.conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	select {
	case <-pinged:
	case <-time.After(5 * time.Second):
		t.Fatal("no keepalive ping")
	}
}

func TestSilentPeerTimesOut(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.pongWait, tu.pingAfter = 200*time.Millisecond, time.Hour })
	env.screen("gone")
	eventually(t, "the silent screen to be dropped", func() bool { return len(env.hub.Devices()) == 0 })
}

// TestSlowClientDropped: a screen that never reads is cut once its queue
// fills, while another screen gets every state and commands never wait.
func TestSlowClientDropped(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.maxQueue, tu.writeWait, tu.sndBuf = 8, 3*time.Second, 4096 })
	dialer := websocket.Dialer{NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = setReceiveBuffer(fd, 2048) })
		if err != nil {
			return err
		}
		return serr
	}}).DialContext}
	slow, _, err := dialer.DialContext(context.Background(), env.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if err := slow.WriteJSON(map[string]any{"type": "hello", "role": RoleStage, "name": "slow"}); err != nil {
		t.Fatal(err)
	}
	fast := env.screen("fast")
	first, _ := fast.until("state")
	eventually(t, "two screens", func() bool { return len(env.hub.Devices()) == 2 })

	const changes = 60
	got := make(chan error, 1)
	go func() { // the fast screen reads as the states come
		for i := range changes {
			m, err := fast.tryRead(5 * time.Second)
			for err == nil && m.Type != "state" {
				m, err = fast.tryRead(5 * time.Second)
			}
			if err == nil && m.State.Seq != first.State.Seq+uint64(i)+1 {
				err = fmt.Errorf("fast screen got seq %d, want %d", m.State.Seq, first.State.Seq+uint64(i)+1)
			}
			if err != nil {
				got <- err
				return
			}
		}
		got <- nil
	}()
	text := strings.Repeat("ệ", controller.MaxMessageLen)
	for i := range changes {
		if i%2 == 0 {
			env.exec(controller.Command{Type: controller.CmdMessage, Text: text})
		} else {
			env.exec(controller.Command{Type: controller.CmdClearMsg})
		}
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	eventually(t, "the slow screen to be dropped", func() bool {
		d := env.hub.Devices()
		return len(d) == 1 && d[0].Name == "fast"
	})
	if n := counterValue(env.hub.metrics.dropped.WithLabelValues("slow")); n != 1 {
		t.Fatalf("dropped slow = %v, want 1", n)
	}
}

// counterValue reads a counter.
func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}
