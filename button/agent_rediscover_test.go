package button

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

// An agent that found its server by mDNS looks again when the address it
// knows stops answering, and follows the server to its new address: the
// laptop came back with another address from the venue's DHCP. The
// server's arming then reaches the button's LED.
func TestAgentFollowsAServerThatMoved(t *testing.T) {
	srv := startRealServer(t, nil)
	gone, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	old := "ws://" + gone.Addr().String() + "/ws"
	gone.Close() // the old address refuses every dial

	_, port, err := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(srv.url, "ws://"), "/ws"))
	if err != nil {
		t.Fatal(err)
	}
	var browses atomic.Int32
	browse := func(ctx context.Context, timeout time.Duration) ([]dnssd.Record, error) {
		browses.Add(1)
		return []dnssd.Record{
			{Instance: "phatdong on may-du-phong", Host: "may-du-phong.local", Scheme: "http", Role: dnssd.RoleStandby, Addrs: []string{"127.0.0.1:9"}},
			{Instance: "phatdong on may-chu", Host: "may-chu.local", Scheme: "http", Role: dnssd.RolePrimary, Addrs: []string{"127.0.0.1:" + port}},
		}, nil
	}
	key := srv.key(t, "nut-1")
	a := startAgentWith(t, old, "nut-1", func(c *AgentConfig) { c.Key = key }, func(o *AgentOptions) { o.Rediscover = browse })

	began := time.Now()
	waitFor(t, "the agent to follow the server to its new address", func() bool {
		return a.logs.has("button: connected", srv.url)
	})
	t.Logf("the agent linked to the server's new address %v after it started", time.Since(began).Round(time.Millisecond))
	if n := browses.Load(); n != 1 {
		t.Errorf("the agent browsed %d times before it found the server, want 1 (after %d failed dials)", n, rediscoverEvery)
	}
	if !a.logs.has("button: the server answers on the LAN at a new address", srv.url) {
		t.Errorf("the agent did not say where it found the server:\n%s", a.logs)
	}
	srv.exec(t, controller.Command{Type: controller.CmdArm})
	waitFor(t, "the agent to see the launch armed", func() bool { return a.LED().State() == SlowBlink })
}

// Without Rediscover (a server named in the configuration) the agent
// never browses: it keeps dialing the server it was given.
func TestAgentWithANamedServerNeverBrowses(t *testing.T) {
	gone, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	old := "ws://" + gone.Addr().String() + "/ws"
	gone.Close()
	a := startAgent(t, old, "nut-1", nil)
	waitFor(t, "enough failed dials for a browse", func() bool { return a.logs.has("attempts=" + strconv.Itoa(rediscoverEvery+2)) })
	if a.logs.has("looked for the server on the LAN") || a.logs.has("at a new address") {
		t.Errorf("an agent with a named server browsed:\n%s", a.logs)
	}
}
