package hub

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// env is a hub behind an httptest server; each socket's Data is the name
// given in the ?name= of its URL.
type env struct {
	t       *testing.T
	hub     *Hub
	url     string
	got     chan string // messages read, as "name: text"
	dropped atomic.Int32
	closed  atomic.Int32
}

func newEnv(t *testing.T, cfg Config, sndBuf int) *env {
	t.Helper()
	e := &env{t: t, got: make(chan string, 1000)}
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.OnMessage == nil {
		cfg.OnMessage = func(c *Client, m Message) { e.got <- c.Data.(string) + ": " + string(m.Data) }
	}
	cfg.OnDrop = func(*Client) { e.dropped.Add(1) }
	cfg.OnClose = func(*Client) { e.closed.Add(1) }
	e.hub = New(cfg)
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		if tc, ok := conn.NetConn().(*net.TCPConn); ok && sndBuf > 0 {
			_ = tc.SetWriteBuffer(sndBuf)
		}
		name := r.URL.Query().Get("name")
		if _, err := e.hub.Attach(conn, func(*Client) any { return name }); err != nil && err != ErrClosed {
			t.Errorf("attach: %v", err)
		}
	}))
	t.Cleanup(func() {
		e.hub.Close()
		srv.Close()
	})
	e.url = "ws" + strings.TrimPrefix(srv.URL, "http") + "/?name="
	return e
}

// dial connects a peer called name and waits until the hub has it.
func (e *env) dial(name string, d *websocket.Dialer) *websocket.Conn {
	e.t.Helper()
	if d == nil {
		d = websocket.DefaultDialer
	}
	n := e.hub.Len()
	conn, _, err := d.DialContext(context.Background(), e.url+name, nil)
	if err != nil {
		e.t.Fatalf("dial %s: %v", name, err)
	}
	e.t.Cleanup(func() { conn.Close() })
	eventually(e.t, "the hub to attach "+name, func() bool { return e.hub.Len() > n })
	return conn
}

// smallReceiver dials with a receive buffer of n bytes, to make a backlog
// real without the kernel's multi-MiB defaults.
func smallReceiver(n int) *websocket.Dialer {
	return &websocket.Dialer{NetDialContext: (&net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) { serr = setReceiveBuffer(fd, n) }); err != nil {
			return err
		}
		return serr
	}}).DialContext}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func readText(t *testing.T, c *websocket.Conn) (string, error) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	return string(b), err
}

func frame(t *testing.T, s string) *Frame {
	t.Helper()
	f, err := NewFrame([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// onEachPath runs test on each way a socket's writes can go here: the
// writer goroutine alone (Portable), and direct writes where there are.
func onEachPath(t *testing.T, test func(t *testing.T, portable bool)) {
	t.Run("portable", func(t *testing.T) { test(t, true) })
	if directWrites {
		t.Run("direct", func(t *testing.T) { test(t, false) })
	}
}

func closeCode(t *testing.T, c *websocket.Conn) int {
	t.Helper()
	for {
		_, err := readText(t, c)
		if err == nil {
			continue
		}
		if ce, ok := err.(*websocket.CloseError); ok {
			return ce.Code
		}
		t.Fatalf("ended without a close frame: %v", err)
	}
}

func TestBroadcastReachesTheFiltered(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		conns := map[string]*websocket.Conn{}
		for _, n := range []string{"a1", "a2", "b1"} {
			conns[n] = e.dial(n, nil)
		}
		onlyA := func(c *Client) bool { return strings.HasPrefix(c.Data.(string), "a") }
		if n := e.hub.Broadcast(Item{Frame: frame(t, "for a")}, onlyA); n != 2 {
			t.Fatalf("broadcast to a: %d sockets, want 2", n)
		}
		if n := e.hub.Broadcast(Item{Frame: frame(t, "for all")}, nil); n != 3 {
			t.Fatalf("broadcast to all: %d sockets, want 3", n)
		}
		want := map[string][]string{"a1": {"for a", "for all"}, "a2": {"for a", "for all"}, "b1": {"for all"}}
		for name, msgs := range want {
			for _, w := range msgs {
				if got, err := readText(t, conns[name]); err != nil || got != w {
					t.Fatalf("%s read %q, %v; want %q", name, got, err, w)
				}
			}
		}
	})
}

func TestSendOrderAndMake(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		conn := e.dial("x", nil)
		var made atomic.Int64
		e.hub.Clients()[0].Send(Item{Text: []byte("one")})
		c := e.hub.Clients()[0]
		c.Send(Item{Make: func() []byte { made.Store(time.Now().UnixNano()); return []byte("two") }})
		c.CloseWith(websocket.ClosePolicyViolation, "bye")
		c.Send(Item{Text: []byte("after the close")})
		for _, w := range []string{"one", "two"} {
			if got, err := readText(t, conn); err != nil || got != w {
				t.Fatalf("read %q, %v; want %q", got, err, w)
			}
		}
		if made.Load() == 0 {
			t.Fatal("Make was not called")
		}
		if code := closeCode(t, conn); code != websocket.ClosePolicyViolation {
			t.Fatalf("close code %d, want %d", code, websocket.ClosePolicyViolation)
		}
		eventually(t, "the socket to be forgotten", func() bool { return e.hub.Len() == 0 && e.closed.Load() == 1 })
	})
}

func TestMessagesReachOnMessage(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		conn := e.dial("p", nil)
		for i := range 3 {
			if err := conn.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, "m%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			select {
			case got := <-e.got:
				if want := fmt.Sprintf("p: m%d", i); got != want {
					t.Fatalf("got %q, want %q", got, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no message")
			}
		}
	})
}

// TestSlowReaderDropped: a peer that stops reading is dropped once its
// queue fills, while another keeps getting every frame.
func TestSlowReaderDropped(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable, QueueLen: 8, WriteWait: 3 * time.Second}, 4096)
		small := smallReceiver(2048)
		e.dial("slow", small) // never reads
		fast := e.dial("fast", nil)
		const frames = 200
		payload := strings.Repeat("x", 4000)
		errs := make(chan error, 1)
		go func() {
			for i := range frames {
				got, err := readText(t, fast)
				if err == nil && got != fmt.Sprintf("%d %s", i, payload) {
					err = fmt.Errorf("fast read frame %.10q, want %d", got, i)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		for i := range frames {
			e.hub.Broadcast(Item{Frame: frame(t, fmt.Sprintf("%d %s", i, payload))}, nil)
			time.Sleep(time.Millisecond)
		}
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		eventually(t, "the slow peer to be dropped", func() bool { return e.hub.Len() == 1 })
		if d := e.dropped.Load(); d != 1 {
			t.Fatalf("dropped %d, want 1", d)
		}
		if c := e.hub.Clients()[0]; c.Data != "fast" {
			t.Fatalf("left %v, want fast", c.Data)
		}
	})
}

func TestPingKeepsQuietDropsSilent(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		const pongWait = 150 * time.Millisecond
		e := newEnv(t, Config{Portable: portable, PingPeriod: 20 * time.Millisecond, PongWait: pongWait}, 0)
		quiet := e.dial("quiet", nil)
		var lastPing atomic.Int64 // when the quiet peer last got a ping, in Unix ns
		quiet.SetPingHandler(func(data string) error {
			lastPing.Store(time.Now().UnixNano())
			err := quiet.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
			if err == websocket.ErrCloseSent {
				return nil
			}
			return err
		})
		go func() { // reading answers the pings
			for {
				if _, _, err := quiet.ReadMessage(); err != nil {
					return
				}
			}
		}()
		e.dial("silent", nil) // never reads: pings go unanswered
		eventually(t, "the silent peer to be dropped", func() bool {
			cs := e.hub.Clients()
			return len(cs) == 1 && cs[0].Data == "quiet"
		})
		// The positive event: the hub still pings the quiet peer twice
		// PongWait later, so it has outlived the silence limit on pongs alone.
		after := time.Now().Add(2 * pongWait)
		eventually(t, "a ping to the quiet peer twice PongWait later", func() bool {
			return lastPing.Load() > after.UnixNano()
		})
		if cs := e.hub.Clients(); len(cs) != 1 || cs[0].Data != "quiet" {
			t.Fatalf("left %d sockets, want the quiet one", len(cs))
		}
	})
}

func TestOversizeCloses1009(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable, ReadLimit: 1024}, 0)
		conn := e.dial("big", nil)
		if err := conn.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", 2000))); err != nil {
			t.Fatal(err)
		}
		if code := closeCode(t, conn); code != websocket.CloseMessageTooBig {
			t.Fatalf("close code %d, want %d", code, websocket.CloseMessageTooBig)
		}
	})
}

func TestCloseClosesAll(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		conns := []*websocket.Conn{e.dial("a", nil), e.dial("b", nil)}
		done := make(chan struct{})
		go func() {
			e.hub.Close()
			close(done)
		}()
		for _, c := range conns {
			if code := closeCode(t, c); code != websocket.CloseGoingAway {
				t.Fatalf("close code %d, want %d", code, websocket.CloseGoingAway)
			}
		}
		<-done
		if n := e.hub.Len(); n != 0 {
			t.Fatalf("%d sockets left after Close", n)
		}
		late, _, err := websocket.DefaultDialer.Dial(e.url+"late", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer late.Close()
		if code := closeCode(t, late); code != websocket.CloseGoingAway {
			t.Fatalf("late socket: close code %d, want %d", code, websocket.CloseGoingAway)
		}
	})
}

// TestFrameSizes: every length class of the frame header arrives whole.
func TestFrameSizes(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		conn := e.dial("r", nil)
		if c := e.hub.Clients()[0]; (c.direct == nil) != portable {
			t.Fatalf("direct writer %v on the portable=%v path", c.direct, portable)
		}
		sizes := []int{0, 1, 125, 126, 127, 65535, 65536, 200_000}
		for _, n := range sizes {
			e.hub.Broadcast(Item{Frame: frame(t, strings.Repeat("é", n/2)+strings.Repeat("x", n%2))}, nil)
		}
		for _, n := range sizes {
			got, err := readText(t, conn)
			if err != nil || len(got) != n {
				t.Fatalf("read %d bytes, %v; want %d", len(got), err, n)
			}
		}
	})
}

// TestBacklogDrainsInOrder: a reader that pauses makes the socket take
// frames in part, then not at all; once it reads again, every frame
// arrives whole and in order, and later frames too.
func TestBacklogDrainsInOrder(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable, QueueLen: 64}, 4096)
		small := smallReceiver(2048)
		conn := e.dial("pausing", small)
		payload := strings.Repeat("y", 3000)
		const frames = 40
		for i := range frames / 2 {
			e.hub.Broadcast(Item{Frame: frame(t, fmt.Sprintf("%d %s", i, payload))}, nil)
		}
		c := e.hub.Clients()[0]
		c.mu.Lock()
		backlog := len(c.queue)
		c.mu.Unlock()
		for i := range frames {
			if i == frames/2 {
				for j := i; j < frames; j++ {
					e.hub.Broadcast(Item{Frame: frame(t, fmt.Sprintf("%d %s", j, payload))}, nil)
				}
			}
			got, err := readText(t, conn)
			if err != nil || got != fmt.Sprintf("%d %s", i, payload) {
				t.Fatalf("frame %d: read %.12q, %v", i, got, err)
			}
		}
		if backlog == 0 {
			t.Fatal("nothing was queued: the test made no backlog")
		}
		if e.dropped.Load() != 0 {
			t.Fatal("the pausing reader was dropped")
		}
	})
}

// TestOneCloseFrame: when the server closes and the peer answers, the
// server sends no second close; when the peer closes first, the server
// answers once.
func TestOneCloseFrame(t *testing.T) {
	onEachPath(t, func(t *testing.T, portable bool) {
		e := newEnv(t, Config{Portable: portable}, 0)
		// The server closes first; the gorilla peer answers it.
		conn := e.dial("a", nil)
		e.hub.Clients()[0].CloseWith(websocket.ClosePolicyViolation, "bye")
		if code := closeCode(t, conn); code != websocket.ClosePolicyViolation {
			t.Fatalf("close code %d", code)
		}
		if rest := readToEOF(t, conn); len(rest) != 0 {
			t.Fatalf("after its close the server sent % x more", rest)
		}
		// The peer closes first: one close comes back.
		eventually(t, "a to be forgotten", func() bool { return e.hub.Len() == 0 })
		conn = e.dial("b", nil)
		if err := conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		rest := readToEOF(t, conn)
		if len(rest) != 4 || rest[0] != 0x88 || rest[1] != 2 || int(rest[2])<<8|int(rest[3]) != websocket.CloseNormalClosure {
			t.Fatalf("the server answered a close with % x, want one close frame 1000", rest)
		}
	})
}

// readToEOF reads the raw bytes the server sends until it closes the
// connection: the positive event that it has sent all it will.
func readToEOF(t *testing.T, conn *websocket.Conn) []byte {
	t.Helper()
	nc := conn.NetConn()
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(nc)
	if err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("waiting for the server to hang up: %v", err)
	}
	return b
}

// TestClientsKeepTheirPlaces: the clients stay in arrival order, a leaving
// one's place taken by the last, every index true to its place.
func TestClientsKeepTheirPlaces(t *testing.T) {
	e := newEnv(t, Config{}, 0)
	conns := map[string]*websocket.Conn{}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		conns[n] = e.dial(n, nil)
	}
	names := func() []string {
		var out []string
		e.hub.mu.Lock() // the index is the hub's
		defer e.hub.mu.Unlock()
		for i, c := range e.hub.clients {
			if c.index != i {
				t.Fatalf("%s has index %d at place %d", c.Data, c.index, i)
			}
			out = append(out, c.Data.(string))
		}
		return out
	}
	if got := strings.Join(names(), ""); got != "abcde" {
		t.Fatalf("order %q, want abcde", got)
	}
	conns["b"].Close()
	eventually(t, "b to leave", func() bool { return e.hub.Len() == 4 })
	if got := strings.Join(names(), ""); got != "aecd" {
		t.Fatalf("order %q after b left, want aecd", got)
	}
	conns["d"].Close()
	eventually(t, "d to leave", func() bool { return e.hub.Len() == 3 })
	if got := strings.Join(names(), ""); got != "aec" {
		t.Fatalf("order %q after d left, want aec", got)
	}
	if n := e.hub.Broadcast(Item{Text: []byte("left")}, nil); n != 3 {
		t.Fatalf("broadcast reached %d, want 3", n)
	}
	for _, n := range []string{"a", "c", "e"} {
		if got, err := readText(t, conns[n]); err != nil || got != "left" {
			t.Fatalf("%s read %q, %v", n, got, err)
		}
	}
}
