package node_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/phatdong/phatdong/display/node"
)

const testSecret = "pairing-secret-for-tests"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// start runs a node on a free loopback port in dir and closes it at the
// end of the test.
func start(t *testing.T, dir string) *node.Node {
	t.Helper()
	n, err := node.Start(node.Config{Dir: dir, Host: "127.0.0.1", Port: 0, Secret: testSecret, Log: quiet})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(n.Close)
	return n
}

// dial connects over TCP, as another machine would.
func dial(t *testing.T, n *node.Node, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(n.URL(), append(opts, nats.NoReconnect())...)
	if err != nil {
		t.Fatalf("connect with the secret: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func TestStartListensOnAPortOfItsOwn(t *testing.T) {
	n := start(t, t.TempDir())
	tcp, ok := n.Addr().(*net.TCPAddr)
	if !ok || tcp.Port == 0 || tcp.Port == 4222 {
		t.Fatalf("Addr = %v, want a free port picked for Port 0", n.Addr())
	}
	h := n.Health()
	if !h.OK || !h.JetStream || h.Addr != n.Addr().String() {
		t.Fatalf("Health = %+v, want ok with JetStream on %s", h, n.Addr())
	}
}

func TestOnlyThePairingSecretConnects(t *testing.T) {
	n := start(t, t.TempDir())
	tests := []struct {
		name string
		opts []nats.Option
		ok   bool
	}{
		{"the secret", []nats.Option{nats.Token(testSecret)}, true},
		{"no secret", nil, false},
		{"a wrong secret", []nats.Option{nats.Token("not-the-pairing-secret")}, false},
		{"the secret as a user's password", []nats.Option{nats.UserInfo("phatdong", testSecret)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nc, err := nats.Connect(n.URL(), append(tc.opts, nats.NoReconnect())...)
			if nc != nil {
				defer nc.Close()
			}
			if tc.ok {
				if err != nil {
					t.Fatalf("connect: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("connected, want an authorization error")
			}
			if !errors.Is(err, nats.ErrAuthorization) && !strings.Contains(strings.ToLower(err.Error()), "authorization") {
				t.Fatalf("err = %v, want an authorization error", err)
			}
		})
	}
}

func TestJetStreamIsEnabled(t *testing.T) {
	n := start(t, t.TempDir())
	js, err := jetstream.New(dial(t, n, nats.Token(testSecret)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := js.AccountInfo(ctx)
	if err != nil {
		t.Fatalf("AccountInfo: %v", err)
	}
	if info.Limits.MaxStore == 0 {
		t.Fatalf("account limits %+v: no file store", info.Limits)
	}
}

func TestConnectInProcess(t *testing.T) {
	n := start(t, t.TempDir())
	nc, err := n.Connect()
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer nc.Close()
	if !nc.IsConnected() {
		t.Fatal("in-process connection not connected")
	}
}

func TestPortInUseIsAClearError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	n, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Port: port, Secret: testSecret, Log: quiet})
	if err == nil {
		n.Close()
		t.Fatal("started on a port in use")
	}
	if !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Fatalf("err = %v, want it to name the port %d", err, port)
	}
}

func TestStartNeedsDirAndSecret(t *testing.T) {
	tests := []struct {
		name string
		cfg  node.Config
	}{
		{"no dir", node.Config{Secret: testSecret, Host: "127.0.0.1"}},
		{"no secret", node.Config{Dir: t.TempDir(), Host: "127.0.0.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := node.Start(tc.cfg)
			if err == nil {
				n.Close()
				t.Fatal("started")
			}
		})
	}
}
