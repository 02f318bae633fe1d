package display

import (
	"bufio"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// delayProxy is a loopback TCP proxy that holds every chunk for a fixed
// delay plus a little random jitter, the same in both directions, and never
// reorders: a slow network path for one screen. It is for tests only.
type delayProxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	jitter time.Duration

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// newDelayProxy listens on 127.0.0.1:0 and forwards to target (host:port).
// It stops when the test ends.
func newDelayProxy(t testing.TB, target string, delay, jitter time.Duration) *delayProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("delay proxy: %v", err)
	}
	p := &delayProxy{ln: ln, target: target, delay: delay, jitter: jitter, conns: map[net.Conn]struct{}{}}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *delayProxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every open connection, as a network failure would; new
// connections are still accepted.
func (p *delayProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

func (p *delayProxy) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.Cut()
	p.wg.Wait()
}

func (p *delayProxy) accept() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		if !p.track(in, out) {
			in.Close()
			out.Close()
			return
		}
		p.wg.Go(func() { p.pipe(out, in) })
		p.wg.Go(func() { p.pipe(in, out) })
	}
}

// track remembers a connection pair; false when the proxy is closing.
func (p *delayProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

// proxyChunk is data read from one side, and when to write it to the other.
type proxyChunk struct {
	data []byte
	due  time.Time
}

// pipe copies src to dst, each chunk delay+jitter after it was read and
// never before the chunk read ahead of it. When either side fails, both
// are closed.
func (p *delayProxy) pipe(dst, src net.Conn) {
	queue := make(chan proxyChunk, 4096)
	var writer sync.WaitGroup
	writer.Go(func() {
		for c := range queue {
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
			queue <- proxyChunk{append([]byte(nil), buf[:n]...), due}
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

func TestDelayProxy(t *testing.T) {
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { echo.Close() })
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()

	const delay, jitter = 40 * time.Millisecond, 2 * time.Millisecond
	p := newDelayProxy(t, echo.Addr().String(), delay, jitter)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)

	// Lines written back to back come back in order, each a round trip late.
	start := time.Now()
	for i := range 50 {
		if _, err := c.Write([]byte{byte('A' + i%26), '\n'}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line[0] != byte('A'+i%26) {
			t.Fatalf("line %d is %q: reordered", i, line)
		}
	}
	if rtt := time.Since(start); rtt < 2*delay || rtt > 2*delay+2*jitter+50*time.Millisecond {
		t.Errorf("round trip through the proxy took %v, want about %v", rtt, 2*delay)
	}

	// A cut closes the connection; the proxy still accepts new ones.
	p.Cut()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := r.ReadString('\n'); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read after a cut: %v, want the connection closed", err)
	}
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatalf("dial after a cut: %v", err)
	}
	c2.Close()
}
