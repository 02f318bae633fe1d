package display

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
)

// readBufs lends the reader a buffer for one message at a time, so an idle
// socket holds none.
var readBufs = sync.Pool{New: func() any {
	b := make([]byte, MaxMessageBytes+1)
	return &b
}}

// errTooLarge and errBinary are bad messages that leave the socket open.
var (
	errTooLarge    = controller.Errorf(ETOOLARGE, "a message may be at most %d bytes; it was discarded", MaxMessageBytes)
	errBinary      = controller.Errorf(controller.EINVALID, "only text messages (JSON) are understood")
	errRateLimited = controller.Errorf(ERATELIMITED, "too many messages; they are ignored until the rate falls")
)

// serve is the socket's reader goroutine: the hello, then every message
// until the socket ends.
//
// While the socket is idle this goroutine is all it costs, so its stack is
// kept small: what goes deep (the hello, commands and presses, encoding an
// error) runs on a short-lived goroutine of its own, whose stack is gone
// when it ends.
func (c *client) serve() {
	defer c.finish()
	c.conn.SetReadLimit(hardMessageBytes)
	// Gorilla would answer pings and closes itself, writing behind the
	// hub's back: the answers go through send like every other frame.
	c.conn.SetPongHandler(func(string) error {
		c.touch(time.Now())
		return nil
	})
	c.conn.SetPingHandler(func(data string) error {
		c.touch(time.Now())
		c.send(outMsg{kind: outFrame, frame: pongFrame(data)})
		return nil
	})
	c.conn.SetCloseHandler(func(code int, _ string) error {
		if code == websocket.CloseNoStatusReceived {
			code = websocket.CloseNormalClosure
		}
		c.send(outMsg{kind: outClose, frame: closeFrame(code, "")})
		return nil
	})
	_ = c.conn.SetReadDeadline(time.Now().Add(c.hub.tune.helloWait))
	data, _, buf, err := c.next()
	if err != nil && !isBadMessage(err) {
		return
	}
	if !onOwnStack(func() bool { return c.hello(data, err) }) {
		readBufs.Put(buf)
		c.closeWith(websocket.ClosePolicyViolation, "hello refused")
		return
	}
	readBufs.Put(buf)
	g := guard{tokens: c.hub.tune.rateBurst, at: time.Now()}
	for {
		data, at, buf, err := c.next()
		if err != nil && !isBadMessage(err) {
			return
		}
		ok := c.process(&g, data, at, err)
		readBufs.Put(buf)
		if !ok {
			c.hub.metrics.dropped.WithLabelValues("garbage").Inc()
			c.hub.log.Info("disconnecting a socket that keeps sending bad messages", "id", c.id, "role", c.role, "addr", c.addr)
			c.closeWith(websocket.ClosePolicyViolation, "too many bad messages")
			return
		}
	}
}

// onOwnStack runs fn on a new goroutine and waits for it.
func onOwnStack(fn func() bool) bool {
	done := make(chan bool, 1)
	go func() { done <- fn() }()
	return <-done
}

// process acts on one message that arrived at at (err is a bad message
// already found by next). It reports false when the socket has sent too
// many bad messages and must be closed.
func (c *client) process(g *guard, data []byte, at time.Time, err error) bool {
	limited := err == nil && !g.allow(at, c.hub.tune)
	if limited {
		err = errRateLimited
	}
	ref := ""
	if err == nil {
		ref, err = c.handle(data, at)
	}
	if err == nil {
		g.limited = false
		return true
	}
	c.hub.metrics.bad.Inc()
	if !limited || !g.limited { // one error per run of refused messages
		onOwnStack(func() bool { c.refuse(ref, err); return true })
	}
	g.limited = limited
	return !g.strike(at, c.hub.tune)
}

// next reads one message into a pooled buffer. A message over
// MaxMessageBytes is read to its end and discarded (errTooLarge); one over
// the hard limit ends the socket. The caller returns buf to readBufs.
func (c *client) next() (data []byte, at time.Time, buf *[]byte, err error) {
	mt, r, err := c.conn.NextReader()
	if err != nil {
		return nil, time.Time{}, nil, err
	}
	at = time.Now()
	c.touch(at)
	buf = readBufs.Get().(*[]byte)
	n, err := io.ReadFull(r, *buf)
	switch {
	case err == nil: // filled the buffer: too large
		if _, err := io.Copy(io.Discard, r); err != nil {
			readBufs.Put(buf)
			return nil, at, nil, err
		}
		return nil, at, buf, errTooLarge
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
	default:
		readBufs.Put(buf)
		return nil, at, nil, err
	}
	if mt != websocket.TextMessage {
		return nil, at, buf, errBinary
	}
	return (*buf)[:n], at, buf, nil
}

func isBadMessage(err error) bool {
	return err == errTooLarge || err == errBinary
}

// touch notes that the peer is alive and pushes the read deadline back,
// unless the socket is closing.
func (c *client) touch(now time.Time) {
	c.lastSeen.Store(now.UnixMilli())
	if !c.closing.Load() {
		_ = c.conn.SetReadDeadline(now.Add(c.hub.tune.pongWait))
	}
}

// closeWith queues a close frame and waits a moment for the peer's own
// close, reading and discarding whatever still comes, so the peer gets
// everything queued before it and no reset.
func (c *client) closeWith(code int, reason string) {
	c.send(outMsg{kind: outClose, frame: closeFrame(code, reason)})
	_ = c.conn.SetReadDeadline(time.Now().Add(c.hub.tune.closeGrace))
	for {
		if _, _, err := c.conn.NextReader(); err != nil {
			return
		}
	}
}

// finish ends the socket: the connection is cut and the hub forgets it.
func (c *client) finish() {
	c.mu.Lock()
	release(c.queue)
	c.closed, c.queue = true, nil
	c.mu.Unlock()
	c.conn.Close()
	c.hub.remove(c)
}

// guard limits how fast and how badly a socket may talk: a token bucket
// for every message, and strikes for the bad ones.
type guard struct {
	limited bool // the last message was refused for the rate
	tokens  float64
	at      time.Time
	strikes int
	since   time.Time
}

// allow takes a token for a message received at now.
func (g *guard) allow(now time.Time, t tuning) bool {
	g.tokens = min(t.rateBurst, g.tokens+now.Sub(g.at).Seconds()*t.ratePerSec)
	g.at = now
	if g.tokens < 1 {
		return false
	}
	g.tokens--
	return true
}

// strike counts a bad message and reports whether the socket has sent too
// many within the window.
func (g *guard) strike(now time.Time, t tuning) bool {
	if now.Sub(g.since) > t.strikeWindow {
		g.strikes, g.since = 0, now
	}
	g.strikes++
	return g.strikes >= t.maxStrikes
}
