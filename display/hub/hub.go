// Package hub is the websocket transport of the server, in the shape of
// gorilla's chat example: one owner of the set of clients, a read pump and
// a write pump per socket, a bounded queue per client, and a client whose
// queue is full is dropped. It knows nothing of the show or the protocol:
// what a message means is the caller's business (Config.OnMessage).
package hub

import (
	"errors"
	"log/slog"
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
	// pingPeriod is how often the server pings; shorter than pongWait.
	pingPeriod = pongWait * 4 / 10
	// maxMessageSize is the largest message read; a larger one closes the
	// socket with 1009.
	maxMessageSize = 64 << 10
	// queueLen is how many messages may wait for one socket before it is
	// dropped as too slow.
	queueLen = 64
	// closeGrace is how long the peer has to answer our close.
	closeGrace = time.Second
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
	PingPeriod time.Duration // how often a socket is pinged
	FirstWait  time.Duration // time to send the first message; PongWait if zero
	CloseGrace time.Duration // time the peer has to answer our close
	ReadLimit  int64         // largest message; a larger one closes 1009
	QueueLen   int           // messages queued per socket before it is dropped

	// OnMessage is called by a socket's read pump for each message, in
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
	cfg Config

	mu      sync.Mutex
	clients map[*Client]struct{}
	closed  bool
	pumps   sync.WaitGroup // one per read pump
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
	return &Hub{cfg: cfg, clients: map[*Client]struct{}{}}
}

// Attach adds an upgraded socket and starts its pumps. data is called
// once, before the first message is read, and its result kept in c.Data.
// Once the hub is closed Attach closes conn (1001) and returns ErrClosed.
func (h *Hub) Attach(conn *websocket.Conn, data func(c *Client) any) (*Client, error) {
	c := newClient(h, conn)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		_ = conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "the server is shutting down"),
			time.Now().Add(time.Second))
		conn.Close()
		return nil, ErrClosed
	}
	if data != nil {
		c.Data = data(c)
	}
	h.clients[c] = struct{}{}
	h.pumps.Add(1)
	h.mu.Unlock()
	go c.writePump()
	go c.readPump()
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
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Client, 0, len(h.clients))
	for c := range h.clients {
		out = append(out, c)
	}
	return out
}

// Broadcast queues it on every client that filter accepts (all when filter
// is nil) and returns how many took it. filter runs with the hub's lock
// held: it must not call the hub. A client whose queue is full is dropped.
func (h *Hub) Broadcast(it Item, filter func(*Client) bool) int {
	var slow []*Client
	n := 0
	h.mu.Lock()
	for c := range h.clients {
		if filter != nil && !filter(c) {
			continue
		}
		switch c.enqueue(it) {
		case queued:
			n++
		case full:
			slow = append(slow, c)
		}
	}
	h.mu.Unlock()
	for _, c := range slow {
		c.drop()
	}
	return n
}

// remove forgets a client whose read pump has ended.
func (h *Hub) remove(c *Client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
	h.cfg.OnClose(c)
	h.pumps.Done()
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
	all := make([]*Client, 0, len(h.clients))
	for c := range h.clients {
		all = append(all, c)
	}
	h.mu.Unlock()
	for _, c := range all {
		c.CloseWith(websocket.CloseGoingAway, "the server is shutting down")
	}
	finished := make(chan struct{})
	go func() {
		h.pumps.Wait()
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
