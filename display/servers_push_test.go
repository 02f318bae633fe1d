package display_test

import (
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// A device that connected while its server was alone learns of the pair
// when it forms: one servers message to every socket, whatever its role,
// and none while the list stays the same.
func TestPairServersPushed(t *testing.T) {
	var servers atomic.Pointer[[]protocol.ServerInfo]
	var alone []protocol.ServerInfo
	servers.Store(&alone)
	srv := displaytest.Start(t, displaytest.Options{Servers: func() []protocol.ServerInfo { return *servers.Load() }})

	devices := []*protocoltest.Conn{
		protocoltest.Dial(t, srv.WSURL, protocoltest.Stage("Màn 1")),
		protocoltest.Dial(t, srv.WSURL, protocol.HelloMsg{Role: protocol.RoleMonitor, Name: "Theo dõi"}),
	}
	for _, d := range devices {
		if d.Welcome.Servers != nil {
			t.Fatalf("welcomed alone with servers %+v", d.Welcome.Servers)
		}
	}
	srv.Display.PairChanged() // nil and was nil: nothing to send

	pair := pairOf("http://10.0.0.12:8080")
	servers.Store(&pair)
	srv.Display.PairChanged()
	srv.Display.PairChanged() // the same list again: nothing more

	moved := pairOf("http://10.0.0.99:8080")
	for i, d := range devices {
		// The first servers message is the pair, the next the moved one:
		// no message came between (they go out in order).
		if got := untilServers(t, d); got != mustMarshal(t, pair) {
			t.Fatalf("device %d: servers %s, want %s", i, got, mustMarshal(t, pair))
		}
	}
	servers.Store(&moved)
	srv.Display.PairChanged()
	for i, d := range devices {
		if got := untilServers(t, d); got != mustMarshal(t, moved) {
			t.Fatalf("device %d: servers %s after the move, want %s", i, got, mustMarshal(t, moved))
		}
	}
}

// untilServers reads d up to its next servers message and returns its
// list as JSON.
func untilServers(t *testing.T, d *protocoltest.Conn) string {
	t.Helper()
	var m protocol.ServersMsg
	d.Until(protocol.TypeServers).Decode(t, &m)
	got, err := json.Marshal(m.Servers)
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}
