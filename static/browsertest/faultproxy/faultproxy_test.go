package faultproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// ending is what one side of a connection saw when its read ended.
type ending struct {
	data string // everything it read
	how  string // how the read ended: see classify
}

// classify names how a read ended: "eof" (a FIN), "reset" (an RST),
// "silence" (the deadline passed), "open" (no error) or the error itself.
func classify(err error) string {
	switch {
	case err == nil:
		return "open"
	case errors.Is(err, io.EOF):
		return "eof"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "silence"
	}
	return err.Error()
}

// echoServer is a TCP server on 127.0.0.1 that writes back what it reads
// and reports, per connection, what it read and how the read ended.
func echoServer(t *testing.T) (string, chan ending) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ends := make(chan ending, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var got []byte
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					got = append(got, buf[:n]...)
					if n > 0 {
						c.Write(buf[:n])
					}
					if err != nil {
						ends <- ending{string(got), classify(err)}
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), ends
}

// client is a connection through the proxy.
type client struct {
	t *testing.T
	c *net.TCPConn
	r *bufio.Reader
}

func dial(t *testing.T, p *Proxy) *client {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t, c.(*net.TCPConn), bufio.NewReader(c)}
}

// roundTrip writes line and returns what came back within wait, and how
// the read ended when nothing did.
func (c *client) roundTrip(line string, wait time.Duration) (string, string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(line)); err != nil {
		return "", "write: " + classify(err)
	}
	return c.read(wait)
}

// read returns the next line within wait, or how the read ended.
func (c *client) read(wait time.Duration) (string, string) {
	c.c.SetReadDeadline(time.Now().Add(wait))
	got, err := c.r.ReadString('\n')
	if err != nil {
		return got, classify(err)
	}
	return got, ""
}

// firstRead dials the proxy and says how the connection's first read (or
// the dial) ended.
func firstRead(p *Proxy, wait time.Duration) string {
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		return classify(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(wait))
	_, err = c.Read(make([]byte, 16))
	return classify(err)
}

// serverEnd waits for the server to report a connection's end.
func serverEnd(t *testing.T, ends chan ending) ending {
	t.Helper()
	select {
	case e := <-ends:
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("the server's side did not end")
	}
	return ending{}
}

// Each lasting fault breaks open connections as its name says, meets new
// connections the same way, and Heal lets new connections through again.
func TestFaults(t *testing.T) {
	const silence = 400 * time.Millisecond
	tests := []struct {
		name      string
		fault     func(*Proxy)
		client    string // how the open connection's read ends
		server    string // how the server's side of it ends
		newClient string // how a new connection's first read ends
	}{
		{"drop", (*Proxy).Drop, "eof", "eof", "eof"},
		{"reset", (*Proxy).Reset, "reset", "reset", "reset"},
		{"half-open", (*Proxy).HalfOpen, "silence", "eof", "silence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, ends := echoServer(t)
			p := New(t, target)
			open := dial(t, p)
			if got, how := open.roundTrip("a\n", time.Second); got != "a\n" {
				t.Fatalf("before the fault: %q, %s", got, how)
			}
			tt.fault(p)
			if got, how := open.read(silence); how != tt.client {
				t.Errorf("open connection after the fault: read %q, ended by %s; want %s", got, how, tt.client)
			}
			if e := serverEnd(t, ends); e.how != tt.server || e.data != "a\n" {
				t.Errorf("server's side: read %q, ended by %s; want \"a\\n\", %s", e.data, e.how, tt.server)
			}
			// Read only: a write into a connection the proxy closed would
			// draw an RST from the kernel, not the proxy.
			// An RST may already fail the dial.
			if how := firstRead(p, silence); how != tt.newClient {
				t.Errorf("new connection during the fault: ended by %s; want %s", how, tt.newClient)
			}
			select {
			case e := <-ends:
				t.Errorf("a connection made during the fault reached the server: %+v", e)
			default:
			}

			p.Heal()
			after := dial(t, p)
			if got, how := after.roundTrip("c\n", time.Second); got != "c\n" {
				t.Errorf("after Heal: %q, %s", got, how)
			}
			if tt.client == "silence" {
				// A connection broken half-open stays broken, and silent.
				if got, how := open.roundTrip("d\n", silence); how != "silence" {
					t.Errorf("half-open connection after Heal: %q, %s; want silence", got, how)
				}
			}
		})
	}
}

// A stall holds every byte both ways, on open and on new connections,
// then delivers them; the connections stay open. Heal ends it early.
func TestStall(t *testing.T) {
	const stall = 300 * time.Millisecond
	target, _ := echoServer(t)
	p := New(t, target)
	open := dial(t, p)
	if got, how := open.roundTrip("a\n", time.Second); got != "a\n" {
		t.Fatalf("before the stall: %q, %s", got, how)
	}
	start := time.Now()
	p.Stall(stall)
	fresh := dial(t, p)
	if _, err := fresh.c.Write([]byte("f\n")); err != nil {
		t.Fatal(err)
	}
	if got, how := open.roundTrip("b\n", 2*time.Second); got != "b\n" {
		t.Fatalf("during the stall: %q, %s", got, how)
	}
	if d := time.Since(start); d < stall || d > stall+200*time.Millisecond {
		t.Errorf("the echo came back after %v, want just after the stall of %v", d, stall)
	}
	if got, how := fresh.read(time.Second); got != "f\n" {
		t.Errorf("connection made during the stall: %q, %s", got, how)
	}
	if got, how := open.roundTrip("c\n", time.Second); got != "c\n" {
		t.Errorf("after the stall: %q, %s", got, how)
	}

	p.Stall(time.Minute)
	start = time.Now()
	if _, err := open.c.Write([]byte("d\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	p.Heal()
	if got, how := open.read(time.Second); got != "d\n" || time.Since(start) > 500*time.Millisecond {
		t.Errorf("Heal during a long stall: %q, %s after %v", got, how, time.Since(start))
	}
}

// A sender that closes during a stall: its bytes and its FIN are still
// delivered after the stall (a kernel keeps sending after close), but an
// abort (RST) discards them, as the kernel discards its unsent buffer.
func TestStallThenClose(t *testing.T) {
	tests := []struct {
		name   string
		close  func(*net.TCPConn)
		server ending
	}{
		{"fin", func(c *net.TCPConn) { c.Close() }, ending{"press\n", "eof"}},
		{"rst", func(c *net.TCPConn) { c.SetLinger(0); c.Close() }, ending{"", "reset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const stall = 300 * time.Millisecond
			target, ends := echoServer(t)
			p := New(t, target)
			c := dial(t, p)
			p.Stall(stall)
			start := time.Now()
			if _, err := c.c.Write([]byte("press\n")); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			tt.close(c.c)
			e := serverEnd(t, ends)
			if e != tt.server {
				t.Errorf("the server read %q, ended by %s; want %q, %s", e.data, e.how, tt.server.data, tt.server.how)
			}
			if d := time.Since(start); d < stall {
				t.Errorf("the server heard the end after %v, during the stall of %v", d, stall)
			}
		})
	}
}
