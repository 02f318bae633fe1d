package display_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// pairOf is a test pair: this server (self, primary at epoch 2) and a
// standby at the given URL.
func pairOf(peer string) []protocol.ServerInfo {
	return []protocol.ServerInfo{
		{URLs: []string{"http://10.0.0.11:8080"}, Role: protocol.RolePrimary, Epoch: 2, Self: true},
		{URLs: []string{peer, "http://192.168.5.7:8080"}, Role: protocol.RoleStandby, Epoch: 2},
	}
}

// getPairInfo asks GET /api/v1/pair and checks the headers every answer
// must carry.
func getPairInfo(t *testing.T, base string) (protocol.PairInfo, http.Header) {
	t.Helper()
	res, err := http.Get(base + "/api/v1/pair")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/pair: %d", res.StatusCode)
	}
	for h, want := range map[string]string{"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	var info protocol.PairInfo
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	return info, res.Header
}

// A server alone answers an empty list (not null), keeps its page policy
// as it is, and welcomes without servers.
func TestPairAlone(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{})
	info, _ := getPairInfo(t, srv.URL)
	if info.Servers == nil || len(info.Servers) != 0 {
		t.Errorf("servers %#v, want an empty list", info.Servers)
	}
	if csp := pagePolicy(t, srv.URL); !strings.Contains(csp, "connect-src 'self';") {
		t.Errorf("a server alone changed its connect-src: %q", csp)
	}
	conn, welcome, err := protocoltest.Connect(srv.WSURL, protocoltest.Stage("Màn 1"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if welcome.Servers != nil {
		t.Errorf("a server alone welcomed with servers %+v", welcome.Servers)
	}
}

// A server of a pair answers the pair, welcomes with it, and lets its
// pages connect to every server's origin, in http and ws.
func TestPairServers(t *testing.T) {
	var servers atomic.Pointer[[]protocol.ServerInfo]
	list := pairOf("http://10.0.0.12:8080")
	servers.Store(&list)
	srv := displaytest.Start(t, displaytest.Options{Servers: func() []protocol.ServerInfo { return *servers.Load() }})

	info, _ := getPairInfo(t, srv.URL)
	if got, _ := json.Marshal(info.Servers); string(got) != mustMarshal(t, list) {
		t.Errorf("servers %s, want %s", got, mustMarshal(t, list))
	}
	csp := pagePolicy(t, srv.URL)
	for _, src := range []string{"http://10.0.0.11:8080", "ws://10.0.0.11:8080", "http://10.0.0.12:8080", "ws://10.0.0.12:8080", "ws://192.168.5.7:8080"} {
		if !strings.Contains(csp, "connect-src 'self' ") || !strings.Contains(csp, " "+src) {
			t.Errorf("connect-src lacks %s: %q", src, csp)
		}
	}

	conn, welcome, err := protocoltest.Connect(srv.WSURL, protocoltest.Stage("Màn 1"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got, _ := json.Marshal(welcome.Servers); string(got) != mustMarshal(t, list) {
		t.Errorf("welcome servers %s, want %s", got, mustMarshal(t, list))
	}

	// A URL that would break the header is left out, not written.
	bad := []protocol.ServerInfo{{URLs: []string{"http://evil; script-src *", "ftp://10.0.0.9", "http://10.0.0.13:8080"}, Role: protocol.RolePrimary, Self: true}}
	servers.Store(&bad)
	if csp := pagePolicy(t, srv.URL); strings.Contains(csp, "evil") || strings.Contains(csp, "ftp") || !strings.Contains(csp, "ws://10.0.0.13:8080") {
		t.Errorf("connect-src from bad URLs: %q", csp)
	}
}

// The websocket accepts a page of a pair's server as they are at the
// handshake, and still refuses any other origin.
func TestPairOrigin(t *testing.T) {
	var servers atomic.Pointer[[]protocol.ServerInfo]
	list := pairOf("http://10.0.0.12:8080")
	servers.Store(&list)
	srv := displaytest.Start(t, displaytest.Options{Servers: func() []protocol.ServerInfo { return *servers.Load() }})
	moved := pairOf("http://10.0.0.99:8080")
	for _, tc := range []struct {
		name, origin string
		servers      []protocol.ServerInfo
		ok           bool
	}{
		{"the peer's page", "http://10.0.0.12:8080", list, true},
		{"the peer's other address", "http://192.168.5.7:8080", list, true},
		{"this server's listed address", "http://10.0.0.11:8080", list, true},
		{"case and default port do not matter", "HTTP://10.0.0.12:8080", list, true},
		{"another port", "http://10.0.0.12:9090", list, false},
		{"another scheme", "https://10.0.0.12:8080", list, false},
		{"a stranger", "http://evil.example", list, false},
		{"the peer moved: its old address", "http://10.0.0.12:8080", moved, false},
		{"the peer moved: its new address", "http://10.0.0.99:8080", moved, true},
		{"alone again", "http://10.0.0.12:8080", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			servers.Store(&tc.servers)
			conn, res, err := websocket.DefaultDialer.Dial(srv.WSURL, http.Header{"Origin": {tc.origin}})
			if conn != nil {
				conn.Close()
			}
			if tc.ok && err != nil {
				t.Fatalf("refused: %v (%v)", err, res)
			}
			if !tc.ok && (err == nil || res == nil || res.StatusCode != http.StatusForbidden) {
				t.Fatalf("got %v (%v), want a 403", err, res)
			}
		})
	}
}

// pagePolicy is the Content-Security-Policy of a page (any path that is
// neither the API nor the websocket: the test server serves no pages, so
// a 404 stands for one).
func pagePolicy(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/stage")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.Header.Get("Content-Security-Policy")
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A server that may pair (a Servers func) but has no peer yet lets its
// pages connect to any server: the standby may join after they loaded.
func TestPairablePagePolicy(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{Servers: func() []protocol.ServerInfo { return nil }})
	if csp := pagePolicy(t, srv.URL); !strings.Contains(csp, "connect-src 'self' http: https: ws: wss:;") {
		t.Errorf("a pairable server alone: connect-src %q, want any server by scheme", csp)
	}
}
