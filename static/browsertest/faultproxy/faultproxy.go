// Package faultproxy is a loopback TCP proxy for tests that breaks the path
// between clients and a server the ways a real network does: it drops
// connections (a FIN both ways), resets them (an RST both ways), stalls
// them (every byte held, then delivered) and leaves them half-open (the
// client hears nothing ever again, with neither FIN nor RST). Heal ends
// the fault. The kernel here has no netem, so a userspace proxy stands for
// the network.
//
//	p := faultproxy.New(t, "127.0.0.1:8080")
//	chromedp.Navigate("http://" + p.Addr() + "/stage")
//	p.HalfOpen() // the page must notice by itself
//	p.Heal()     // new connections go through again
//
// Drop, Reset and HalfOpen last until Heal: while they do, new connections
// meet the same fault. A stall ends by itself after its duration, or at
// Heal. The proxy models TCP honestly: bytes a sender wrote before closing
// with a FIN are still delivered after a stall, but bytes a sender
// aborted with an RST are discarded, as a kernel discards its unsent
// buffer then.
package faultproxy

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// mode is the fault new connections meet.
type mode int

const (
	healthy  mode = iota
	dropped       // accepted, then closed with a FIN
	reset         // accepted, then closed with an RST
	halfOpen      // accepted, then never answered nor closed
)

// Proxy forwards connections made to Addr to a target, and breaks them on
// demand. Its methods may be called from any goroutine.
type Proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	closed bool
	mode   mode
	stall  chan struct{} // closed when the current stall ends; nil when none
	timer  *time.Timer   // ends the current stall
	conns  map[*conn]struct{}
	wg     sync.WaitGroup
}

// conn is one client's connection and the proxy's own to the server.
type conn struct {
	client *net.TCPConn
	server *net.TCPConn // nil for one accepted while half-open
	// dead means half-open: nothing is forwarded any more, and the proxy
	// never closes the client's side (the client must notice by itself).
	dead atomic.Bool
}

// New listens on 127.0.0.1:0 and forwards to target (host:port). It stops
// when the test ends.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faultproxy: listen: %v", err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[*conn]struct{}{}}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Drop closes every open connection with a FIN on both sides, as a server
// or a middlebox closing them would; until Heal, new connections are
// accepted and closed the same way.
func (p *Proxy) Drop() { p.fault(dropped) }

// Reset closes every open connection with an RST on both sides (SO_LINGER
// 0); until Heal, new connections are reset too.
func (p *Proxy) Reset() { p.fault(reset) }

// HalfOpen stops forwarding in both directions, as a pulled cable or a
// dead access point would: each client's side stays open and hears
// nothing, neither data nor FIN nor RST, until the client gives it up
// itself. The server's side is closed with a FIN. Until Heal, new
// connections are accepted and then ignored the same way; after Heal the
// connections broken by it stay broken.
func (p *Proxy) HalfOpen() { p.fault(halfOpen) }

// Stall holds every byte in both directions, on open connections and on
// new ones, for d, then delivers them in order; connections stay open.
// A second Stall replaces the first's end.
func (p *Proxy) Stall(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stall == nil {
		p.stall = make(chan struct{})
	}
	if p.timer != nil {
		p.timer.Stop()
	}
	ch := p.stall
	p.timer = time.AfterFunc(d, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.endStallLocked(ch)
	})
}

// Heal ends the fault: a stall delivers what it held, and new connections
// go through again.
func (p *Proxy) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = healthy
	p.endStallLocked(p.stall)
}

// endStallLocked ends the stall ch, if it is still the current one.
func (p *Proxy) endStallLocked(ch chan struct{}) {
	if ch == nil || p.stall != ch {
		return
	}
	close(ch)
	p.stall = nil
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// stalled returns a channel closed when the current stall ends, or nil.
func (p *Proxy) stalled() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stall
}

// fault sets the mode and applies it to every open connection.
func (p *Proxy) fault(m mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	for c := range p.conns {
		breakConn(c, m)
	}
}

// breakConn applies m to c.
func breakConn(c *conn, m mode) {
	switch m {
	case dropped:
		if !c.dead.Load() {
			c.client.Close()
		}
		closeServer(c, false)
	case reset:
		if !c.dead.Load() {
			abort(c.client)
		}
		closeServer(c, true)
	case halfOpen:
		c.dead.Store(true)
		closeServer(c, false)
	}
}

// closeServer closes the server's side of c, if there is one: with an RST
// when rst, else with a FIN.
func closeServer(c *conn, rst bool) {
	if c.server == nil {
		return
	}
	if rst {
		abort(c.server)
	} else {
		c.server.Close()
	}
}

// abort closes tc with an RST: SO_LINGER 0 drops its unsent data.
func abort(tc *net.TCPConn) {
	_ = tc.SetLinger(0)
	tc.Close()
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mode = healthy
	p.endStallLocked(p.stall)
	for c := range p.conns {
		c.client.Close()
		closeServer(c, false)
	}
	p.mu.Unlock()
	p.ln.Close()
	p.wg.Wait()
}
