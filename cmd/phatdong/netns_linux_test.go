//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// testNet is three network namespaces on this machine, the primary's (P),
// the standby's (S) and the clients' (C), each two joined by a veth link:
//
//	P 10.77.1.1 ─── 10.77.1.2 S    the servers' link (cut it: Cut)
//	P 10.77.2.1 ─── 10.77.2.2 C
//	S 10.77.3.1 ─── 10.77.3.2 C
//
// The test process stays in its own namespace; its clients reach P and S
// from C through a forwarder running in C, reached over a Unix socket (a
// file, so in every namespace): each connection's first line names the
// address to dial from C.
type testNet struct {
	t      *testing.T
	ns     map[byte]string // 'P', 'S', 'C' → namespace name
	tag    string
	sock   string
	client *http.Client
	ws     *websocket.Dialer
}

// The servers' addresses as the clients and the other server reach them.
const (
	primaryAddr   = "10.77.2.1" // P, from C
	standbyAddr   = "10.77.3.1" // S, from C
	primaryToPeer = "10.77.1.1" // P, from S
	serverPort    = "8080"
)

// envForward makes the test binary a forwarder on that Unix socket.
const envForward = "PHATDONG_TEST_FORWARD"

// newNet makes the namespaces and links; the test fails, not skips, when
// it cannot (it needs root and ip(8)). Everything is removed at cleanup.
func newNet(t *testing.T) *testNet {
	t.Helper()
	n := &testNet{t: t, tag: fmt.Sprintf("%04x", os.Getpid()&0xffff), ns: map[byte]string{}}
	for _, r := range []byte("PSC") {
		n.ns[r] = "pd" + n.tag + string(r)
	}
	t.Cleanup(n.remove)
	for _, name := range n.ns {
		n.ip("netns", "add", name)
		n.ip("-n", name, "link", "set", "lo", "up")
	}
	n.link('P', 'S', "10.77.1.1", "10.77.1.2")
	n.link('P', 'C', "10.77.2.1", "10.77.2.2")
	n.link('S', 'C', "10.77.3.1", "10.77.3.2")
	n.startForwarder()
	return n
}

// ip runs ip(8) and fails the test on an error.
func (n *testNet) ip(args ...string) {
	n.t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		n.t.Fatalf("ip %s: %v: %s (the namespace tests need root and ip(8))", strings.Join(args, " "), err, out)
	}
}

// vethName names the end in a of the link between a and b (at most 15
// characters, as Linux wants).
func (n *testNet) vethName(a, b byte) string { return "pd" + n.tag + string(a) + string(b) }

// link joins namespaces a and b with a veth pair, addressed /24.
func (n *testNet) link(a, b byte, addrA, addrB string) {
	n.t.Helper()
	ea, eb := n.vethName(a, b), n.vethName(b, a)
	n.ip("link", "add", ea, "type", "veth", "peer", "name", eb)
	n.ip("link", "set", ea, "netns", n.ns[a])
	n.ip("link", "set", eb, "netns", n.ns[b])
	n.ip("-n", n.ns[a], "addr", "add", addrA+"/24", "dev", ea)
	n.ip("-n", n.ns[b], "addr", "add", addrB+"/24", "dev", eb)
	n.ip("-n", n.ns[a], "link", "set", ea, "up")
	n.ip("-n", n.ns[b], "link", "set", eb, "up")
}

// setLink takes the servers' link down or up, both ends.
func (n *testNet) setLink(state string) {
	n.t.Helper()
	n.ip("-n", n.ns['P'], "link", "set", n.vethName('P', 'S'), state)
	n.ip("-n", n.ns['S'], "link", "set", n.vethName('S', 'P'), state)
}

// remove deletes the namespaces (and with them their links).
func (n *testNet) remove() {
	for _, name := range n.ns {
		_ = exec.Command("ip", "netns", "del", name).Run()
	}
}

// startForwarder runs this test binary as the forwarder in C.
func (n *testNet) startForwarder() {
	n.t.Helper()
	n.sock = filepath.Join(n.t.TempDir(), "fwd.sock")
	exe, err := os.Executable()
	if err != nil {
		n.t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", n.ns['C'], exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envForward+"="+n.sock)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("start the forwarder: %v", err)
	}
	n.t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.Dial("unix", n.sock); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			n.t.Fatal("the forwarder did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	n.client = &http.Client{Transport: &http.Transport{DialContext: n.dial, MaxIdleConnsPerHost: 16}, Timeout: 5 * time.Second}
	n.ws = &websocket.Dialer{NetDialContext: n.dial, HandshakeTimeout: 3 * time.Second}
}

// dial connects to addr from C.
func (n *testNet) dial(ctx context.Context, _, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", n.sock)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(c, addr+"\n"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// maybeForward runs this test binary as the forwarder, and exits, when
// the environment asks for it.
func maybeForward() {
	sock := os.Getenv(envForward)
	if sock == "" {
		return
	}
	if err := forward(sock); err != nil {
		fmt.Fprintln(os.Stderr, "forwarder:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// forward is the forwarder's main: every connection on sock is joined to
// the TCP address its first line names, dialed from this namespace.
func forward(sock string) error {
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return err
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			r := bufio.NewReader(c)
			addr, err := r.ReadString('\n')
			if err != nil {
				return
			}
			up, err := net.DialTimeout("tcp", strings.TrimSpace(addr), 2*time.Second)
			if err != nil {
				return
			}
			defer up.Close()
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(up, r)
				if tc, ok := up.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				}
			}()
			_, _ = io.Copy(c, up)
			_ = c.Close()
			wg.Wait()
		}()
	}
}

// launchIn runs the server binary in namespace ns, listening on every
// address there.
func (n *testNet) launchIn(ns byte, db string, extra ...string) *proc {
	n.t.Helper()
	args := append([]string{"netns", "exec", n.ns[ns], binary(n.t), "--addr", ":" + serverPort, "--nats-addr", ":4222", "--leaf-port", "7422", "--api-rate", "0"},
		serverArgs(db, extra...)...)
	p := startProc(n.t, exec.Command("ip", args...))
	p.client = n.client
	switch ns {
	case 'P':
		p.base = "http://" + primaryAddr + ":" + serverPort
	case 'S':
		p.base = "http://" + standbyAddr + ":" + serverPort
	}
	return p
}
