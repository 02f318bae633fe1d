// Package delayproxy is a loopback TCP proxy for tests: it holds every chunk
// for a fixed delay plus a little random jitter, the same in both
// directions, never reorders, and can be cut as a pulled cable would be.
// It stands for a slow or broken network path between one screen and the
// server (the kernel here has no netem).
//
//	p := delayproxy.New(t, "127.0.0.1:8080", 20*time.Millisecond, time.Millisecond)
//	chromedp.Navigate("http://" + p.Addr() + "/stage")
//	p.SetCut(true)  // every connection drops, new ones are refused
//	p.SetCut(false) // the network is back
package delayproxy

import (
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy forwards connections made to Addr to a target, late.
type Proxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	jitter time.Duration

	mu     sync.Mutex
	closed bool
	cut    bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// New listens on 127.0.0.1:0 and forwards to target (host:port), each
// chunk delay plus up to jitter late (both may be 0). It stops when the
// test ends.
func New(t testing.TB, target string, delay, jitter time.Duration) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("delayproxy: listen: %v", err)
	}
	p := &Proxy{ln: ln, target: target, delay: delay, jitter: jitter, conns: map[net.Conn]struct{}{}}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every open connection, as a network failure would; new
// connections are still accepted.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closeConns()
}

// SetCut(true) closes every open connection and refuses new ones until
// SetCut(false).
func (p *Proxy) SetCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		p.closeConns()
	}
}

// closeConns closes every tracked connection; p.mu is held.
func (p *Proxy) closeConns() {
	for c := range p.conns {
		c.Close()
	}
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.Cut()
	p.wg.Wait()
}

func (p *Proxy) accept() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refusing() {
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		if !p.track(in, out) {
			in.Close()
			out.Close()
			continue
		}
		p.wg.Go(func() { p.pipe(out, in) })
		p.wg.Go(func() { p.pipe(in, out) })
	}
}

// refusing is whether new connections are refused now.
func (p *Proxy) refusing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut || p.closed
}

// track remembers a connection pair; false when the proxy is closing or cut.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.cut {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

// chunk is data read from one side, and when to write it to the other.
type chunk struct {
	data []byte
	due  time.Time
}

// pipe copies src to dst, each chunk delay+jitter after it was read and
// never before the chunk read ahead of it. When either side fails, both
// are closed.
func (p *Proxy) pipe(dst, src net.Conn) {
	queue := make(chan chunk, 4096)
	var writer sync.WaitGroup
	writer.Go(func() {
		for c := range queue {
			// Pacing, not waiting for an event: the chunk is due then.
			time.Sleep(time.Until(c.due))
			if _, err := dst.Write(c.data); err != nil {
				src.Close()
				for range queue {
				}
				return
			}
		}
	})
	var last time.Time
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			due := time.Now().Add(p.delay)
			if p.jitter > 0 {
				due = due.Add(rand.N(p.jitter))
			}
			if due.Before(last) {
				due = last
			}
			last = due
			queue <- chunk{append([]byte(nil), buf[:n]...), due}
		}
		if err != nil {
			break
		}
	}
	close(queue)
	writer.Wait()
	dst.Close()
	p.mu.Lock()
	delete(p.conns, src)
	delete(p.conns, dst)
	p.mu.Unlock()
}
