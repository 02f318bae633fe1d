package display

import (
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/hub"
)

// errTooLarge and errBinary are bad messages that leave the socket open.
var (
	errTooLarge    = controller.Errorf(ETOOLARGE, "a message may be at most %d bytes; it was discarded", MaxMessageBytes)
	errBinary      = controller.Errorf(controller.EINVALID, "only text messages (JSON) are understood")
	errRateLimited = controller.Errorf(ERATELIMITED, "too many messages; they are ignored until the rate falls")
)

// onMessage is the socket reader's call for each message: the hello
// first, then everything else. A refused hello, or too many bad messages,
// closes the socket (1008) after the error.
func (h *Hub) onMessage(hc *hub.Client, m hub.Message) {
	c := hc.Data.(*client)
	c.lastHeard.Store(m.At.UnixMilli())
	var err error
	switch {
	case m.Binary:
		err = errBinary
	case len(m.Data) > MaxMessageBytes:
		err = errTooLarge
	}
	if !c.ready.Load() {
		if !c.hello(m.Data, err) {
			hc.CloseWith(websocket.ClosePolicyViolation, "hello refused")
		}
		return
	}
	if !c.process(m.Data, h.told(m.At), err) {
		h.metrics.dropped.WithLabelValues("garbage").Inc()
		h.log.Info("disconnecting a socket that keeps sending bad messages", "id", c.id, "role", c.role, "addr", c.addr)
		hc.CloseWith(websocket.ClosePolicyViolation, "too many bad messages")
	}
}

// process acts on one message that arrived at at (err is a bad message
// already found). It reports false when the socket has sent too many bad
// messages and must be closed.
func (c *client) process(data []byte, at time.Time, err error) bool {
	g := &c.guard
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
		c.refuse(ref, err)
	}
	g.limited = limited
	return !g.strike(at, c.hub.tune)
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
