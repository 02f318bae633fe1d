package hub

import (
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Item is one message on its way to a socket: a frame shared by every
// socket of a broadcast, a text message of this socket's own, or one
// whose bytes are made by the write pump just before they are written
// (a clock answer stamped at the last moment).
type Item struct {
	Frame *websocket.PreparedMessage
	Text  []byte
	Make  func() []byte
	// Done, when not nil, is called once the item is written or discarded.
	Done func()

	close       bool // a close frame; nothing is written after it
	code        int
	closeReason string
}

// Client is one socket. Its read pump delivers the messages to
// Config.OnMessage; its write pump writes what is queued, in order.
type Client struct {
	// Data is the caller's own: who is on the other end.
	Data any

	hub      *Hub
	conn     *websocket.Conn
	queue    chan Item
	done     chan struct{} // closed when the read pump ends
	closing  atomic.Bool   // our close is queued: nothing follows it
	dropped  atomic.Bool
	lastSeen atomic.Int64 // Unix ms of the last message or pong
}

func newClient(h *Hub, conn *websocket.Conn) *Client {
	c := &Client{hub: h, conn: conn, queue: make(chan Item, h.cfg.QueueLen), done: make(chan struct{})}
	c.lastSeen.Store(time.Now().UnixMilli())
	return c
}

// LastSeen is when the peer last sent a message or a pong.
func (c *Client) LastSeen() time.Time { return time.UnixMilli(c.lastSeen.Load()) }

// Send queues it on this socket. A socket whose queue is full is dropped.
// It reports whether it was queued.
func (c *Client) Send(it Item) bool {
	switch c.enqueue(it) {
	case queued:
		return true
	case full:
		c.drop()
	}
	return false
}

// CloseWith queues a close frame after what is already queued; the peer
// then has CloseGrace to answer it before the socket is cut. Messages
// sent later are discarded.
func (c *Client) CloseWith(code int, reason string) {
	if c.closing.Swap(true) {
		return
	}
	if c.push(Item{close: true, code: code, closeReason: reason}) == full {
		c.drop()
		return
	}
	_ = c.conn.SetReadDeadline(time.Now().Add(c.hub.cfg.CloseGrace))
}

type outcome int

const (
	queued  outcome = iota
	refused         // the socket is closing or gone
	full
)

// enqueue queues it unless the socket is closing.
func (c *Client) enqueue(it Item) outcome {
	if c.closing.Load() {
		if it.Done != nil {
			it.Done()
		}
		return refused
	}
	return c.push(it)
}

func (c *Client) push(it Item) outcome {
	select {
	case <-c.done:
	case c.queue <- it:
		return queued
	default:
		if it.Done != nil {
			it.Done()
		}
		return full
	}
	if it.Done != nil {
		it.Done()
	}
	return refused
}

// drop cuts a socket too slow to keep: a 1013 close if it can still be
// written at once, then the connection.
func (c *Client) drop() {
	if c.dropped.Swap(true) {
		return
	}
	c.closing.Store(true)
	c.hub.cfg.OnDrop(c)
	go func() {
		_ = c.conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "too slow"),
			time.Now().Add(100*time.Millisecond))
		c.conn.Close()
	}()
}

// touch notes the peer is alive and moves the read deadline, unless the
// socket is closing.
func (c *Client) touch(now time.Time) {
	c.lastSeen.Store(now.UnixMilli())
	if !c.closing.Load() {
		_ = c.conn.SetReadDeadline(now.Add(c.hub.cfg.PongWait))
	}
}

// readPump reads every message until the socket ends, then forgets it.
func (c *Client) readPump() {
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
		now := time.Now()
		c.touch(now)
		_ = c.conn.WriteControl(websocket.PongMessage, []byte(data), now.Add(cfg.WriteWait))
		return nil
	})
	for {
		mt, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if c.closing.Load() {
			continue // waiting for the peer's close
		}
		now := time.Now()
		c.touch(now)
		cfg.OnMessage(c, Message{Data: data, Binary: mt == websocket.BinaryMessage, At: now})
	}
}

// writePump writes the queue in order and pings a silent peer, until the
// read pump ends.
func (c *Client) writePump() {
	cfg := &c.hub.cfg
	ping := time.NewTicker(cfg.PingPeriod)
	defer ping.Stop()
	dead := false // written the close, or failed: discard the rest
	for {
		select {
		case it := <-c.queue:
			if !dead {
				err := c.write(it)
				if err != nil {
					c.hub.cfg.Log.Debug("hub: write failed", "err", err)
					c.conn.Close()
				}
				dead = err != nil || it.close
			}
			if it.Done != nil {
				it.Done()
			}
		case now := <-ping.C:
			if dead || now.Sub(c.LastSeen()) < cfg.PingPeriod {
				continue
			}
			if err := c.conn.WriteControl(websocket.PingMessage, nil, now.Add(cfg.WriteWait)); err != nil {
				dead = true
				c.conn.Close()
			}
		case <-c.done:
			for {
				select {
				case it := <-c.queue:
					if it.Done != nil {
						it.Done()
					}
				default:
					return
				}
			}
		}
	}
}

// write writes one item within WriteWait.
func (c *Client) write(it Item) error {
	if err := c.conn.SetWriteDeadline(time.Now().Add(c.hub.cfg.WriteWait)); err != nil {
		return err
	}
	var err error
	switch {
	case it.close:
		err = c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(it.code, it.closeReason))
	case it.Frame != nil:
		err = c.conn.WritePreparedMessage(it.Frame)
	case it.Make != nil:
		err = c.conn.WriteMessage(websocket.TextMessage, it.Make())
	default:
		err = c.conn.WriteMessage(websocket.TextMessage, it.Text)
	}
	if err == nil {
		c.hub.cfg.OnWrite()
	}
	return err
}
