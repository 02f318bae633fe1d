package delayproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// echoServer is a TCP server on 127.0.0.1 that writes back what it reads.
func echoServer(t *testing.T) string {
	t.Helper()
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
	return echo.Addr().String()
}

// The proxy delays both ways, keeps order, and Cut drops connections.
func TestDelayProxy(t *testing.T) {
	const delay, jitter = 40 * time.Millisecond, 2 * time.Millisecond
	p := New(t, echoServer(t), delay, jitter)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)

	// Lines written back to back come back in order, each a round trip late:
	// never sooner than two delays; at most two jitters and 50 ms of
	// scheduling later (a busy machine of 2 shared cores), which is still
	// far below a third delay's worth of error in a test that relies on it.
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

// SetCut(true) drops open connections and refuses new ones; SetCut(false)
// lets them through again, with no delay when none was asked for.
func TestSetCut(t *testing.T) {
	p := New(t, echoServer(t), 0, 0)
	roundTrip := func() error {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Write([]byte("ping\n")); err != nil {
			return err
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err == nil && line != "ping\n" {
			err = errors.New("echoed " + line)
		}
		return err
	}
	if err := roundTrip(); err != nil {
		t.Fatalf("before the cut: %v", err)
	}
	open, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if _, err := open.Write([]byte("a\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(open)
	if _, err := r.ReadString('\n'); err != nil {
		t.Fatalf("before the cut: %v", err)
	}
	p.SetCut(true)
	open.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := r.ReadString('\n'); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("open connection after the cut: read %v, want it closed", err)
	}
	if err := roundTrip(); err == nil {
		t.Error("a new connection went through while cut")
	}
	p.SetCut(false)
	if err := roundTrip(); err != nil {
		t.Errorf("after the cut: %v", err)
	}
}
