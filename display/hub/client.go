package hub

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Frame is a text message encoded once for many sockets.
type Frame struct {
	prepared *websocket.PreparedMessage
	wire     []byte // the whole websocket frame, for direct writes; nil where there are none
}

// NewFrame encodes text once, for every socket it will be sent to.
func NewFrame(text []byte) (*Frame, error) {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, text)
	if err != nil {
		return nil, fmt.Errorf("hub: prepare a frame: %w", err)
	}
	f := &Frame{prepared: pm}
	if directWrites {
		f.wire = encodeFrame(websocket.TextMessage, text)
	}
	return f, nil
}

// Item is one message on its way to a socket: a frame shared by every
// socket of a broadcast, a text message of this socket's own, or one
// whose bytes are made just before they are written (a clock answer
// stamped at the last moment).
type Item struct {
	Frame *Frame
	Text  []byte
	Make  func() []byte
	// Done, when not nil, is called once the item is written or discarded.
	Done func()

	control int    // a close, ping or pong frame, with payload as its data
	payload []byte // the control frame's data
	rest    []byte // the end of a frame the socket took only part of
}

func (it Item) done() {
	if it.Done != nil {
		it.Done()
	}
}

// Client is one socket. Its reader delivers the messages to
// Config.OnMessage; what is sent to it is written in order.
type Client struct {
	// Data is the caller's own: who is on the other end.
	Data any

	hub      *Hub
	index    int // in hub.clients; the hub's lock guards it
	conn     *websocket.Conn
	direct   directWriter  // nil: every write goes through the writer goroutine
	done     chan struct{} // closed when the reader ends
	lastSeen atomic.Int64  // Unix ms of the last message or pong
	lastPing atomic.Int64  // Unix ms of the last ping

	mu      sync.Mutex
	queue   []Item
	writing bool // a writer goroutine owns the socket's writes
	closing bool // our close is queued, or the socket dropped: nothing more is taken
	dead    bool // the close is written or a write failed: the rest is discarded
}

func newClient(h *Hub, conn *websocket.Conn) *Client {
	c := &Client{hub: h, conn: conn, done: make(chan struct{})}
	if !h.cfg.Portable {
		c.direct = newDirectWriter(conn.NetConn())
	}
	c.lastSeen.Store(time.Now().UnixMilli())
	return c
}

// LastSeen is when the peer last sent a message or a pong.
func (c *Client) LastSeen() time.Time { return time.UnixMilli(c.lastSeen.Load()) }

func (c *Client) pinged() time.Time { return time.UnixMilli(c.lastPing.Load()) }

// Send writes it to this socket, or queues it behind what is waiting. A
// socket whose queue is full is dropped. It reports whether it was taken.
func (c *Client) Send(it Item) bool {
	switch c.enqueue(it) {
	case taken:
		return true
	case full:
		c.drop()
	}
	return false
}

// CloseWith sends a close frame after what is already queued; the peer
// then has CloseGrace to answer it before the socket is cut. Messages
// sent later are discarded.
func (c *Client) CloseWith(code int, reason string) {
	it := Item{control: websocket.CloseMessage, payload: websocket.FormatCloseMessage(code, reason)}
	switch c.enqueue(it) {
	case refused:
		return
	case full:
		c.drop()
		return
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(c.hub.cfg.CloseGrace))
}

// ping asks a silent peer to show it is alive.
func (c *Client) ping(now time.Time) {
	c.lastPing.Store(now.UnixMilli())
	c.Send(Item{control: websocket.PingMessage})
}

type outcome int

const (
	taken   outcome = iota // written, or queued to be
	refused                // the socket is closing or gone
	full                   // the queue is full
)

// enqueue writes it at once when nothing is waiting and the socket takes
// it whole; otherwise it queues it for the writer goroutine, starting one
// if none runs.
func (c *Client) enqueue(it Item) outcome {
	c.mu.Lock()
	out, start := c.enqueueLocked(it)
	c.mu.Unlock()
	if start {
		// Started after the unlock: a writer started under the lock would,
		// on another core, first wait for it.
		go c.writeQueue()
	}
	return out
}

// enqueueLocked is enqueue under c.mu; start says a writer goroutine must
// be started.
func (c *Client) enqueueLocked(it Item) (out outcome, start bool) {
	if c.closing || c.dead {
		it.done()
		return refused, false
	}
	if it.control == websocket.CloseMessage {
		c.closing = true
	}
	if !c.writing && c.direct != nil {
		return c.writeDirect(it)
	}
	if len(c.queue) >= c.hub.cfg.QueueLen {
		c.closing = true
		it.done()
		return full, false
	}
	c.queue = append(c.queue, it)
	if c.writing {
		return taken, false
	}
	c.writing = true
	return taken, true
}

// drop cuts a socket too slow to keep: a 1013 close if no write is under
// way, then the connection.
func (c *Client) drop() {
	c.mu.Lock()
	idle := !c.writing && !c.dead
	c.closing, c.dead = true, true
	discard := c.queue
	c.queue = nil
	c.mu.Unlock()
	for _, it := range discard {
		it.done()
	}
	c.hub.cfg.OnDrop(c)
	go func() {
		if idle {
			_ = c.conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "too slow"),
				time.Now().Add(100*time.Millisecond))
		}
		c.conn.Close()
	}()
}

// touch notes the peer is alive and moves the read deadline, unless the
// socket is closing; it reports whether it is.
func (c *Client) touch(now time.Time) (closing bool) {
	c.lastSeen.Store(now.UnixMilli())
	c.mu.Lock()
	closing = c.closing
	c.mu.Unlock()
	if !closing {
		_ = c.conn.SetReadDeadline(now.Add(c.hub.cfg.PongWait))
	}
	return closing
}

// answerClose answers the peer's close with ours, in turn with the other
// writes, unless ours is sent or queued already (a second close frame is
// a protocol error browsers complain of).
func (c *Client) answerClose(code int, _ string) error {
	var payload []byte
	if code != websocket.CloseNoStatusReceived {
		payload = websocket.FormatCloseMessage(code, "")
	}
	c.mu.Lock()
	if c.closing || c.dead {
		c.mu.Unlock()
		return nil
	}
	c.closing = true
	if c.writing { // behind what is queued; the reader's end may cut it
		c.queue = append(c.queue, Item{control: websocket.CloseMessage, payload: payload})
		c.mu.Unlock()
		return nil
	}
	c.dead = true // no other write can start now
	c.mu.Unlock()
	_ = c.conn.WriteControl(websocket.CloseMessage, payload, time.Now().Add(c.hub.cfg.WriteWait))
	return nil
}

// readLoop reads every message until the socket ends, then forgets it.
func (c *Client) readLoop() {
	defer func() {
		c.conn.Close()
		close(c.done)
		c.hub.remove(c)
	}()
	cfg := &c.hub.cfg
	c.conn.SetReadLimit(cfg.ReadLimit)
	_ = c.conn.SetReadDeadline(time.Now().Add(cfg.FirstWait))
	c.conn.SetPongHandler(func(string) error {
		c.touch(time.Now())
		return nil
	})
	c.conn.SetPingHandler(func(data string) error {
		c.touch(time.Now())
		c.Send(Item{control: websocket.PongMessage, payload: []byte(data)})
		return nil
	})
	c.conn.SetCloseHandler(c.answerClose)
	for {
		mt, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		if c.touch(now) {
			continue // waiting for the peer's close
		}
		cfg.OnMessage(c, Message{Data: data, Binary: mt == websocket.BinaryMessage, At: now})
	}
}
