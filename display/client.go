package display

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

// The screens' roles; RoleOperator and RoleButton (auth_http.go) are the
// other two a socket may introduce itself with.
const (
	RoleStage     = protocol.RoleStage
	RolePresenter = protocol.RolePresenter
	RoleMonitor   = protocol.RoleMonitor
)

// client is one socket. Its reader goroutine (ws_read.go) owns the reading
// side. Writes are tried at once and without waiting by whoever has
// something to send (the hub's broadcast, the reader answering); a writer
// goroutine runs only while a socket cannot take its bytes at once.
type client struct {
	hub         *Hub
	conn        *websocket.Conn
	net         net.Conn        // the connection under conn
	raw         syscall.RawConn // its file descriptor, for writes that must not wait
	addr        string
	connectedAt time.Time

	// Set by the hub under hub.mu.
	id    string
	idx   int  // position in hub.clients
	ready bool // introduced: receives broadcasts

	// Set once by the hello, before ready; read-only afterwards.
	role         Role
	name, button string

	mu      sync.Mutex // guards the queue, writing, closed, health and moment
	queue   []outMsg
	writing bool // someone is writing to the socket: others queue
	closed  bool // nothing more is written
	health  health
	moment  *MomentFigures // the last moment's frame rate, as reported

	closing  atomic.Bool  // our close frame is on its way: nothing follows it
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
	outFrame outKind = iota // the bytes of a frame (or the rest of one)
	outTime                 // a clock-sync answer, stamped as it is written
	outClose                // a close frame; nothing is written after it
)

// outMsg is one message on its way to a socket.
type outMsg struct {
	kind   outKind
	frame  []byte  // outFrame, outClose; shared by every socket of a broadcast
	fan    *fanout // follows a broadcast; nil for others
	t0, t1 float64 // outTime
}

func newClient(h *Hub, conn *websocket.Conn, addr string) *client {
	now := time.Now()
	c := &client{hub: h, conn: conn, net: conn.NetConn(), addr: addr, connectedAt: now, idx: -1}
	if sc, ok := c.net.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			c.raw = raw
		}
	}
	c.lastSeen.Store(now.UnixMilli())
	return c
}

// seesShow reports whether the role gets the rundown.
func (c *client) seesShow() bool {
	return c.role == RoleOperator || c.role == RoleMonitor
}

// send writes m now if the socket is idle and takes it at once; otherwise
// m is queued for the writer goroutine. It never waits on the network: a
// socket whose queue is full is too slow to keep and is dropped. send
// owns m.fan from then on. It reports whether m was accepted.
func (c *client) send(m outMsg) bool {
	c.mu.Lock()
	if c.closed || c.closing.Load() {
		c.mu.Unlock()
		m.fan.done()
		return false
	}
	if m.kind == outClose {
		c.closing.Store(true)
	}
	if c.writing {
		if len(c.queue) >= c.hub.tune.maxQueue {
			release(c.queue)
			c.closed, c.queue = true, nil
			c.mu.Unlock()
			m.fan.done()
			c.hub.metrics.dropped.WithLabelValues("slow").Inc()
			c.hub.log.Warn("dropping a slow socket", "id", c.id, "role", c.role, "name", c.name, "addr", c.addr)
			c.conn.Close() // ends the writer's write and the reader's read
			return false
		}
		c.queue = append(c.queue, m)
		c.mu.Unlock()
		return true
	}
	c.writing = true
	c.mu.Unlock()

	b := c.bytesOf(m)
	n, err := c.writeNow(b)
	switch {
	case err != nil:
		m.fan.done()
		c.fail(err)
		return true
	case n < len(b): // the socket is full: the rest goes first, and waits
		rest := outMsg{kind: outFrame, frame: b[n:], fan: m.fan}
		if m.kind == outClose {
			rest.kind = outClose
		}
		c.mu.Lock()
		c.queue = append([]outMsg{rest}, c.queue...)
		c.mu.Unlock()
		go c.writeLoop()
		return true
	}
	c.hub.metrics.sent.Inc()
	m.fan.done()
	if m.kind == outClose {
		c.closeWritten()
		return true
	}
	c.mu.Lock()
	if len(c.queue) == 0 {
		c.writing = false
		c.mu.Unlock()
		return true
	}
	c.mu.Unlock()
	go c.writeLoop() // messages queued while we wrote
	return true
}

// sendText sends a message for this socket only.
func (c *client) sendText(payload []byte) bool {
	return c.send(outMsg{kind: outFrame, frame: textFrame(payload)})
}

// bytesOf is the frame of m; a clock-sync answer is stamped now.
func (c *client) bytesOf(m outMsg) []byte {
	if m.kind != outTime {
		return m.frame
	}
	var buf [160]byte
	return textFrame(appendTimeAnswer(buf[:0], m.t0, m.t1, clocksync.Stamp(time.Now())))
}

// writeLoop writes what is queued, waiting for the socket as long as the
// write deadline allows, then ends.
func (c *client) writeLoop() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 || c.closed {
			release(batch)
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for i := range batch {
			m := batch[i]
			batch[i] = outMsg{}
			err := c.writeWait(m)
			m.fan.done()
			if err != nil {
				release(batch[i+1:])
				c.fail(err)
				return
			}
			if m.kind == outClose {
				release(batch[i+1:])
				c.closeWritten()
				return
			}
		}
	}
}

// writeWait writes one message within the write deadline. The deadline is
// lifted afterwards: once passed, it would also fail the writes that do
// not wait.
func (c *client) writeWait(m outMsg) error {
	if err := c.net.SetWriteDeadline(time.Now().Add(c.hub.tune.writeWait)); err != nil {
		return err
	}
	if _, err := c.net.Write(c.bytesOf(m)); err != nil {
		return err
	}
	c.hub.metrics.sent.Inc()
	return c.net.SetWriteDeadline(time.Time{})
}

// closeWritten notes that our close frame went out: nothing follows it.
func (c *client) closeWritten() {
	c.mu.Lock()
	release(c.queue)
	c.closed, c.queue, c.writing = true, nil, false
	c.mu.Unlock()
}

// fail ends a socket whose write failed: nothing more is written and the
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
