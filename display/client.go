package display

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/display/clocksync"
)

// The screens' roles; RoleOperator and RoleButton (auth_http.go) are the
// other two a socket may introduce itself with.
const (
	RoleStage     Role = "stage"
	RolePresenter Role = "presenter"
	RoleMonitor   Role = "monitor"
)

// client is one socket. Its reader goroutine (read.go) owns the reading
// side; its writer goroutine runs only while something is queued.
type client struct {
	hub         *Hub
	conn        *websocket.Conn
	addr        string
	connectedAt time.Time

	// Set by the hub under hub.mu.
	id    string
	idx   int  // position in hub.clients
	ready bool // introduced: receives broadcasts

	// Set once by the hello, before ready; read-only afterwards.
	role         Role
	name, button string

	mu      sync.Mutex // guards the queue, writing, closed and health
	queue   []outMsg
	writing bool // a writer goroutine is running
	closed  bool // nothing more is queued
	health  health

	closing  atomic.Bool  // our close frame is queued or sent
	lastSeen atomic.Int64 // Unix ms of the last message or pong
	pinged   atomic.Int64 // Unix ms of the last keepalive ping
}

// health is what a device last reported of its clock.
type health struct {
	known                    bool
	offset, rtt, uncertainty float64
}

// outKind says what an outMsg carries.
type outKind uint8

const (
	outPrepared outKind = iota // a broadcast, encoded once for everyone
	outText                    // a message for this socket only
	outTime                    // a clock-sync answer, stamped as it is written
	outPing                    // a keepalive ping
	outClose                   // a close frame; nothing follows it
)

// outMsg is one queued message.
type outMsg struct {
	kind   outKind
	code   int // outClose
	pm     *websocket.PreparedMessage
	fan    *fanout // follows a broadcast; nil for others
	data   []byte  // outText, or the reason of outClose
	t0, t1 float64 // outTime
}

func newClient(h *Hub, conn *websocket.Conn, addr string) *client {
	now := time.Now()
	c := &client{hub: h, conn: conn, addr: addr, connectedAt: now, idx: -1}
	c.lastSeen.Store(now.UnixMilli())
	return c
}

// seesShow reports whether the role gets the rundown.
func (c *client) seesShow() bool {
	return c.role == RoleOperator || c.role == RoleMonitor
}

// send queues m and starts the writer if it is idle. It never blocks: a
// socket whose queue is full is too slow to keep and is dropped. It
// reports whether m was queued.
func (c *client) send(m outMsg) bool {
	c.mu.Lock()
	if c.closed || c.closing.Load() {
		c.mu.Unlock()
		return false
	}
	if len(c.queue) >= c.hub.tune.maxQueue {
		release(c.queue)
		c.closed, c.queue = true, nil
		c.mu.Unlock()
		c.hub.metrics.dropped.WithLabelValues("slow").Inc()
		c.hub.log.Warn("dropping a slow socket", "id", c.id, "role", c.role, "name", c.name, "addr", c.addr)
		c.conn.Close() // ends the writer's write and the reader's read
		return false
	}
	if m.kind == outClose {
		c.closing.Store(true)
	}
	c.queue = append(c.queue, m)
	start := !c.writing
	c.writing = true
	c.mu.Unlock()
	if start {
		go c.writeLoop()
	}
	return true
}

// sendText queues a message for this socket only.
func (c *client) sendText(b []byte) bool {
	return c.send(outMsg{kind: outText, data: b})
}

// writeLoop writes what is queued, then ends.
func (c *client) writeLoop() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for i := range batch {
			m := batch[i]
			batch[i] = outMsg{}
			err := c.write(m)
			m.fan.done()
			if err != nil {
				release(batch[i+1:])
				c.fail(err)
				return
			}
			if m.kind == outClose {
				release(batch[i+1:])
				c.mu.Lock()
				release(c.queue)
				c.closed, c.queue, c.writing = true, nil, false
				c.mu.Unlock()
				return
			}
		}
	}
}

// write writes one message within the write deadline.
func (c *client) write(m outMsg) error {
	now := time.Now()
	deadline := now.Add(c.hub.tune.writeWait)
	if err := c.conn.SetWriteDeadline(deadline); err != nil {
		return err
	}
	var err error
	switch m.kind {
	case outPrepared:
		err = c.conn.WritePreparedMessage(m.pm)
	case outText:
		err = c.conn.WriteMessage(websocket.TextMessage, m.data)
	case outTime:
		var buf [160]byte
		b := appendTimeAnswer(buf[:0], m.t0, m.t1, clocksync.Stamp(time.Now()))
		err = c.conn.WriteMessage(websocket.TextMessage, b)
	case outPing:
		err = c.conn.WriteControl(websocket.PingMessage, nil, deadline)
	case outClose:
		err = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(m.code, string(m.data)), deadline)
	}
	if err == nil {
		c.hub.metrics.sent.Inc()
	}
	return err
}

// fail ends a socket whose write failed: nothing more is queued and the
// connection is cut, which ends the reader too.
func (c *client) fail(err error) {
	c.mu.Lock()
	release(c.queue)
	c.closed, c.queue, c.writing = true, nil, false
	c.mu.Unlock()
	c.hub.log.Debug("socket write failed", "id", c.id, "role", c.role, "addr", c.addr, "err", err)
	c.conn.Close()
}

// setHealth records a device's clock report.
func (c *client) setHealth(hl health) {
	c.mu.Lock()
	c.health = hl
	c.mu.Unlock()
}

// getHealth returns the device's last clock report.
func (c *client) getHealth() health {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.health
}

// appendTimeAnswer appends {"type":"time","t0":…,"t1":…,"t2":…}: t0 echoed
// exactly, t1 and t2 to the microsecond.
func appendTimeAnswer(b []byte, t0, t1, t2 float64) []byte {
	b = append(b, `{"type":"time","t0":`...)
	b = strconv.AppendFloat(b, t0, 'f', -1, 64)
	b = append(b, `,"t1":`...)
	b = strconv.AppendFloat(b, t1, 'f', 3, 64)
	b = append(b, `,"t2":`...)
	b = strconv.AppendFloat(b, t2, 'f', 3, 64)
	return append(b, '}')
}
