package faultproxy

import (
	"errors"
	"net"
	"sync"
	"syscall"
)

// accept takes each new connection and, unless a fault says otherwise,
// joins it to a new connection to the target.
func (p *Proxy) accept() {
	for {
		nc, err := p.ln.Accept()
		if err != nil {
			return
		}
		client := nc.(*net.TCPConn)
		p.mu.Lock()
		m, closed := p.mode, p.closed
		p.mu.Unlock()
		switch {
		case closed || m == dropped:
			client.Close()
		case m == reset:
			abort(client)
		case m == halfOpen:
			c := &conn{client: client}
			c.dead.Store(true)
			if p.track(c) {
				p.wg.Go(func() { p.sink(c) })
			}
		default:
			p.join(client)
		}
	}
}

// join dials the target for client and starts forwarding both ways.
func (p *Proxy) join(client *net.TCPConn) {
	out, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	c := &conn{client: client, server: out.(*net.TCPConn)}
	if !p.track(c) {
		return
	}
	var both sync.WaitGroup
	both.Go(func() { p.pipe(c, c.client, c.server) })
	both.Go(func() { p.pipe(c, c.server, c.client) })
	p.wg.Go(func() {
		both.Wait()
		p.forget(c)
	})
}

// track remembers c and applies the fault of the moment to it (one may
// have begun while it was being dialed); false when the proxy is closing,
// and c is closed.
func (p *Proxy) track(c *conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.client.Close()
		closeServer(c, false)
		return false
	}
	p.conns[c] = struct{}{}
	breakConn(c, p.mode)
	return true
}

// forget closes both sides of c, whose pipes have ended, and untracks it.
func (p *Proxy) forget(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	c.client.Close()
	closeServer(c, false)
}

// sink reads and discards what a client of a half-open connection sends
// until it closes its side; it is never answered.
func (p *Proxy) sink(c *conn) {
	buf := make([]byte, 32<<10)
	for {
		if _, err := c.client.Read(buf); err != nil {
			break
		}
	}
	p.forget(c)
}

// chunk is data read from one side, or the end of that side: a FIN, or an
// RST when rst.
type chunk struct {
	data []byte
	end  bool
	rst  bool
}

// pipe copies src to dst until src ends, then passes its end on: a FIN as
// a FIN (CloseWrite), an RST as an RST. A stall holds every chunk and the
// end; a half-open connection discards them and never touches the client.
func (p *Proxy) pipe(c *conn, src, dst *net.TCPConn) {
	queue := make(chan chunk, 4096)
	var writer sync.WaitGroup
	writer.Go(func() { p.deliver(c, queue, src, dst) })
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			queue <- chunk{data: append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			queue <- chunk{end: true, rst: errors.Is(err, syscall.ECONNRESET)}
			break
		}
	}
	close(queue)
	writer.Wait()
}

// deliver writes the chunks of queue to dst, once no stall holds them,
// then passes src's end on. An RST from src discards what is still held:
// the sender aborted it, as a kernel drops its unsent buffer then.
func (p *Proxy) deliver(c *conn, queue chan chunk, src, dst *net.TCPConn) {
	var held [][]byte
	var end *chunk
	broken := false
	for {
		stall := p.stalled()
		if stall == nil && (len(held) > 0 || end != nil) {
			if c.dead.Load() || broken {
				held = nil
			}
			for _, b := range held {
				if _, err := dst.Write(b); err != nil {
					// dst is gone: let src's reader fail too, and drain.
					broken = true
					src.Close()
					break
				}
			}
			held = nil
			if end != nil {
				switch {
				case c.dead.Load() || broken:
				case end.rst:
					abort(dst)
				default:
					_ = dst.CloseWrite()
				}
				return
			}
		}
		in := queue
		if end != nil {
			in = nil // nothing comes after the end
		}
		select {
		case ch := <-in:
			switch {
			case ch.rst:
				held, end = nil, &ch
			case ch.end:
				end = &ch
			default:
				held = append(held, ch.data)
			}
		case <-stall:
		}
	}
}
