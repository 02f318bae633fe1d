// Package hub is the websocket transport of the server, in the shape of
// gorilla's chat example: one owner of the set of clients, a reader and a
// writer per socket, a bounded queue per client, and a client whose queue
// is full is dropped. It knows nothing of the show or the protocol: what
// a message means is the caller's business (Config.OnMessage).
//
// Two departures from the example, both measured (docs/performance.md,
// "The hub"): a socket's writer goroutine runs only while something is
// queued, and where the socket allows it (Linux, plain TCP) a broadcast
// first offers each frame to the socket at once, without waiting; only
// what the socket cannot take goes through the queue and the writer.
package hub

import (
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Defaults of the transport.
const (
	// writeWait is the longest a single write may take.
	writeWait = 10 * time.Second
	// pongWait is the silence after which a socket is dead.
	pongWait = 60 * time.Second
	// pingPeriod is the silence after which the server pings; shorter
	// than pongWait.
	pingPeriod = pongWait * 4 / 10
	// maxMessageSize is the largest message read; a larger one closes the
	// socket with 1009.
	maxMessageSize = 64 << 10
	// queueLen is how many messages may wait for one socket before it is
	// dropped as too slow.
	queueLen = 64
	// closeGrace is how long the peer has to answer our close.
	closeGrace = time.Second
	// minShare is the fewest sockets worth a goroutine of a broadcast.
	minShare = 64
)

// ErrClosed is returned by Attach once the hub is closed.
var ErrClosed = errors.New("hub: closed")

// Message is one message read from a socket.
type Message struct {
	Data   []byte
	Binary bool      // a binary message; the protocol speaks text
	At     time.Time // when it arrived
}

// Config configures a hub. Zero durations and sizes take the defaults.
type Config struct {
	WriteWait  time.Duration // longest a single write may take
	PongWait   time.Duration // silence after which a socket is dead
	PingPeriod time.Duration // silence after which a socket is pinged
	FirstWait  time.Duration // time to send the first message; PongWait if zero
	CloseGrace time.Duration // time the peer has to answer our close
	ReadLimit  int64         // largest message; a larger one closes 1009
	QueueLen   int           // messages queued per socket before it is dropped

	// Portable turns the direct writes off: every message goes through
	// the queue and the writer goroutine, as on every OS but Linux. For
	// tests and side-by-side measurements.
	Portable bool

	// OnMessage is called by a socket's reader for each message, in
	// order. It may Send, and CloseWith to end the socket.
	OnMessage func(c *Client, m Message)
	// OnClose is called once when a socket has ended, after its last
	// OnMessage.
	OnClose func(c *Client)
	// OnDrop is called when a socket is dropped because its queue was full.
	OnDrop func(c *Client)
	// OnWrite is called after each message written to a socket.
	OnWrite func()
	// Log receives the hub's events; nil means slog.Default().
	Log *slog.Logger
}

// Hub owns the set of connected clients.
type Hub struct {
	cfg  Config
	stop chan struct{} // closed by Close: ends the pinger

	mu sync.Mutex
	// clients in the order they came, so that a broadcast walks the
	// sockets' memory, and the kernel's, in the same order every time: at
	// 5,000 screens a map's random order cost the fan-out about a fifth
	// (docs/performance.md, "The hub"). A leaving client's place is taken
	// by the last one.
	clients []*Client
	closed  bool
	readers sync.WaitGroup // one per socket's reader
}

// New returns a hub with cfg's zero fields set to the defaults.
func New(cfg Config) *Hub {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.WriteWait, writeWait)
	def(&cfg.PongWait, pongWait)
	def(&cfg.PingPeriod, pingPeriod)
	def(&cfg.FirstWait, cfg.PongWait)
	def(&cfg.CloseGrace, closeGrace)
	if cfg.ReadLimit <= 0 {
		cfg.ReadLimit = maxMessageSize
	}
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = queueLen
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.OnWrite == nil {
		cfg.OnWrite = func() {}
	}
	if cfg.OnMessage == nil {
		cfg.OnMessage = func(*Client, Message) {}
	}
	if cfg.OnClose == nil {
		cfg.OnClose = func(*Client) {}
	}
	if cfg.OnDrop == nil {
		cfg.OnDrop = func(*Client) {}
	}
	h := &Hub{cfg: cfg, stop: make(chan struct{})}
	go h.pinger()
	return h
}

// Attach adds an upgraded socket and starts its reader. data is called
// once, before the first message is read, and its result kept in c.Data.
// Once the hub is closed Attach closes conn (1001) and returns ErrClosed.
func (h *Hub) Attach(conn *websocket.Conn, data func(c *Client) any) (*Client, error) {
	c := newClient(h, conn)
	if data != nil {
		// Outside the hub's lock: data may take locks of its own, which
		// a Broadcast's filter may hold while it waits for the hub's.
		c.Data = data(c)
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		_ = conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "the server is shutting down"),
			time.Now().Add(time.Second))
		conn.Close()
		return nil, ErrClosed
	}
	c.index = len(h.clients)
	h.clients = append(h.clients, c)
	h.readers.Add(1)
	h.mu.Unlock()
	go c.readLoop()
	return c, nil
}

// Len is how many sockets are attached.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Clients lists the attached sockets, in no order.
func (h *Hub) Clients() []*Client {
	return h.pick(nil)
}

// pick lists the attached sockets that filter accepts (all when nil).
func (h *Hub) pick(filter func(*Client) bool) []*Client {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Client, 0, len(h.clients))
	for _, c := range h.clients {
		if filter == nil || filter(c) {
			out = append(out, c)
		}
	}
	return out
}

// Broadcast sends it to every client that filter accepts (all when filter
// is nil) and returns how many took it. filter runs with the hub's lock
// held: it must not call the hub. A client whose queue is full is
// dropped. The sends are shared among the cores: with direct writes each
// is a system call.
func (h *Hub) Broadcast(it Item, filter func(*Client) bool) int {
	list := h.pick(filter)
	k := max(1, min(runtime.GOMAXPROCS(0), len(list)/minShare))
	taken := make([]int, k)
	var wg sync.WaitGroup
	for i := range k {
		share := list[i*len(list)/k : (i+1)*len(list)/k]
		send := func() {
			for _, c := range share {
				if c.Send(it) {
					taken[i]++
				}
			}
		}
		if i == k-1 {
			send() // the last share is this goroutine's own
		} else {
			wg.Go(send)
		}
	}
	wg.Wait()
	n := 0
	for _, t := range taken {
		n += t
	}
	return n
}

// pinger pings every socket that has been silent for PingPeriod.
func (h *Hub) pinger() {
	tick := time.NewTicker(h.cfg.PingPeriod / 4)
	defer tick.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-tick.C:
			for _, c := range h.Clients() {
				if now.Sub(c.LastSeen()) >= h.cfg.PingPeriod && now.Sub(c.pinged()) >= h.cfg.PingPeriod {
					c.ping(now)
				}
			}
		}
	}
}

// remove forgets a client whose reader has ended.
func (h *Hub) remove(c *Client) {
	h.mu.Lock()
	last := len(h.clients) - 1
	moved := h.clients[last]
	h.clients[c.index], moved.index = moved, c.index
	h.clients[last] = nil
	h.clients = h.clients[:last]
	h.mu.Unlock()
	h.cfg.OnClose(c)
	h.readers.Done()
}

// Close closes every socket with a going-away close (1001), waits a moment
// for the peers to answer, then cuts the rest; later sockets are refused.
// http.Server.Shutdown leaves hijacked connections alone, hence this.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	close(h.stop)
	h.mu.Unlock()
	all := h.Clients()
	for _, c := range all {
		c.CloseWith(websocket.CloseGoingAway, "the server is shutting down")
	}
	finished := make(chan struct{})
	go func() {
		h.readers.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(h.cfg.CloseGrace + h.cfg.WriteWait/10):
		for _, c := range all {
			c.conn.Close()
		}
		<-finished
	}
	h.cfg.Log.Info("hub: closed", "sockets", len(all))
}
