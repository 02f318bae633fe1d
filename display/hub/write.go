package hub

import (
	"time"

	"github.com/gorilla/websocket"
)

// directWriter writes to a socket without waiting: what the socket takes
// now, and no more. Only Linux has one (direct_linux.go).
type directWriter interface {
	tryWrite(b []byte) (int, error)
}

// writeDirect offers it to the socket at once. What the socket does not
// take whole is queued for a writer goroutine (start), which waits for the
// rest. It runs with c.mu held, when no writer goroutine runs.
func (c *Client) writeDirect(it Item) (out outcome, start bool) {
	b := wireOf(it)
	n, err := c.direct.tryWrite(b)
	switch {
	case err != nil:
		c.dead = true
		it.done()
		c.hub.cfg.Log.Debug("hub: write failed", "err", err)
		go c.conn.Close()
		return refused, false
	case n == len(b):
		if it.control == 0 {
			c.hub.cfg.OnWrite()
		}
		if it.control == websocket.CloseMessage {
			c.dead = true
		}
		it.done()
		return taken, false
	}
	c.queue = append(c.queue, Item{rest: b[n:], control: it.control, Done: it.Done})
	c.writing = true
	return taken, true
}

// wireOf is the whole websocket frame of it.
func wireOf(it Item) []byte {
	switch {
	case it.control != 0:
		return encodeFrame(it.control, it.payload)
	case it.Frame != nil:
		return it.Frame.wire
	case it.Make != nil:
		return encodeFrame(websocket.TextMessage, it.Make())
	}
	return encodeFrame(websocket.TextMessage, it.Text)
}

// writeQueue writes the queue in order, waiting for the socket as long
// as WriteWait each time, and ends when the queue is empty.
func (c *Client) writeQueue() {
	for {
		c.mu.Lock()
		if c.dead || len(c.queue) == 0 {
			discard := c.queue
			c.queue = nil
			c.writing = false
			if c.direct != nil && !c.dead {
				// A deadline left behind would refuse the next direct write.
				_ = c.conn.NetConn().SetWriteDeadline(time.Time{})
			}
			c.mu.Unlock()
			for _, it := range discard {
				it.done()
			}
			return
		}
		it := c.queue[0]
		c.queue[0] = Item{}
		c.queue = c.queue[1:]
		c.mu.Unlock()

		err := c.write(it)
		it.done()
		if err != nil || it.control == websocket.CloseMessage {
			c.mu.Lock()
			c.dead = true
			c.mu.Unlock()
		}
		if err != nil {
			c.hub.cfg.Log.Debug("hub: write failed", "err", err)
			c.conn.Close()
		}
	}
}

// write writes one item within WriteWait.
func (c *Client) write(it Item) error {
	deadline := time.Now().Add(c.hub.cfg.WriteWait)
	if it.rest != nil {
		nc := c.conn.NetConn()
		if err := nc.SetWriteDeadline(deadline); err != nil {
			return err
		}
		_, err := nc.Write(it.rest)
		if err == nil && it.control == 0 {
			c.hub.cfg.OnWrite()
		}
		return err
	}
	if it.control != 0 {
		return c.conn.WriteControl(it.control, it.payload, deadline)
	}
	if err := c.conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	var err error
	switch {
	case it.Frame != nil:
		err = c.conn.WritePreparedMessage(it.Frame.prepared)
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
