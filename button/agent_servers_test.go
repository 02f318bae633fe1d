package button

import (
	"slices"
	"testing"

	"github.com/phatdong/phatdong/protocol"
)

func TestChooseServer(t *testing.T) {
	const P, S = protocol.RolePrimary, protocol.RoleStandby
	v := func(role string, epoch uint64, reachable bool) serverView {
		return serverView{role: role, epoch: epoch, reachable: reachable}
	}
	for _, tc := range []struct {
		name    string
		servers []serverView
		cur     int
		seen    uint64
		want    int
	}{
		{"alone", []serverView{v(P, 0, true)}, 0, 0, 0},
		{"on the primary, the standby answers", []serverView{v(P, 0, true), v(S, 0, true)}, 0, 0, 0},
		{"on the standby, the primary answers", []serverView{v(S, 0, true), v(P, 0, true)}, 0, 0, 1},
		{"on the standby, the primary unreachable", []serverView{v(S, 0, true), v(P, 0, false)}, 0, 0, 0},
		{"on the standby, the other a standby too", []serverView{v(S, 0, true), v(S, 0, true)}, 0, 0, 0},
		{"on a primary, another of a higher epoch", []serverView{v(P, 0, true), v(P, 1, true)}, 0, 0, 1},
		{"on the primary of epoch 1, the old one at 0", []serverView{v(P, 0, true), v(P, 1, true)}, 1, 1, 1},
		{"two primaries at the same epoch: stay", []serverView{v(P, 2, true), v(P, 2, true)}, 1, 2, 1},
		{"on the standby of epoch 1, a primary at 0 is stale", []serverView{v(S, 1, true), v(P, 0, true)}, 0, 1, 0},
		{"role unknown after a rise, a primary at the same epoch", []serverView{v("", 1, true), v(P, 1, true)}, 0, 1, 1},
		{"role unknown after a rise, a primary below it", []serverView{v("", 1, true), v(P, 0, true)}, 0, 1, 0},
		{"on a stale server, the primary of the epoch seen", []serverView{v(P, 0, true), v(P, 2, true)}, 0, 2, 1},
		{"on a stale server, a primary still below what was seen", []serverView{v(P, 0, true), v(P, 1, true)}, 0, 2, 0},
		{"highest epoch wins", []serverView{v(S, 0, true), v(P, 1, true), v(P, 2, true)}, 0, 0, 2},
		{"a tie goes to the first", []serverView{v(S, 0, true), v(P, 1, true), v(P, 1, true)}, 0, 0, 1},
		{"an unreachable primary of a higher epoch is not chosen", []serverView{v(P, 0, true), v(P, 3, false)}, 0, 0, 0},
	} {
		if got := choose(tc.servers, tc.cur, tc.seen); got != tc.want {
			t.Errorf("%s: choose(%+v, cur %d, seen %d) = %d, want %d", tc.name, tc.servers, tc.cur, tc.seen, got, tc.want)
		}
	}
}

func TestHostOfAndPairURL(t *testing.T) {
	for _, tc := range []struct{ in, host, pair string }{
		{"ws://10.0.0.2:8080/ws", "10.0.0.2:8080", "http://10.0.0.2:8080/api/v1/pair"},
		{"wss://Show.Local/ws", "show.local:443", "https://Show.Local/api/v1/pair"},
		{"ws://h/phatdong/ws", "h:80", "http://h/phatdong/api/v1/pair"},
		{"http://10.0.0.3:8080", "10.0.0.3:8080", ""},
		{"https://[fe80::1]", "[fe80::1]:443", ""},
		{"no url at all", "", ""},
	} {
		if got := hostOf(tc.in); got != tc.host {
			t.Errorf("hostOf(%q) = %q, want %q", tc.in, got, tc.host)
		}
		if tc.pair != "" {
			if got := pairURL(tc.in); got != tc.pair {
				t.Errorf("pairURL(%q) = %q, want %q", tc.in, got, tc.pair)
			}
		}
	}
}

func TestServerSetLearn(t *testing.T) {
	info := func(role string, epoch uint64, self bool, urls ...string) protocol.ServerInfo {
		return protocol.ServerInfo{URLs: urls, Role: role, Epoch: epoch, Self: self}
	}
	for _, tc := range []struct {
		name        string
		cfg         AgentConfig
		infos       []protocol.ServerInfo
		wantURLs    []string
		wantCurRole string
		wantCur     int
	}{
		{
			name: "a welcome adds the standby, with the configured scheme",
			cfg:  AgentConfig{Server: "wss://show.local:8443/ws"},
			infos: []protocol.ServerInfo{
				info(protocol.RolePrimary, 0, true, "https://10.0.0.11:8443", "https://show.local:8443"),
				info(protocol.RoleStandby, 0, false, "http://10.0.0.12:8443"),
			},
			wantURLs:    []string{"wss://show.local:8443/ws", "wss://10.0.0.12:8443/ws"},
			wantCurRole: protocol.RolePrimary,
		},
		{
			name: "the configured standby is recognised, not added twice",
			cfg:  AgentConfig{Server: "ws://10.0.0.11:8080/ws", Standby: "ws://10.0.0.12:8080/ws"},
			infos: []protocol.ServerInfo{
				info(protocol.RoleStandby, 1, true, "http://10.0.0.11:8080"),
				info(protocol.RolePrimary, 1, false, "http://10.0.0.12:8080"),
			},
			wantURLs:    []string{"ws://10.0.0.11:8080/ws", "ws://10.0.0.12:8080/ws"},
			wantCurRole: protocol.RoleStandby,
		},
		{
			name: "a standby configured by name merges with the address its pair lists",
			cfg:  AgentConfig{Server: "ws://10.0.0.11:8080/ws", Standby: "ws://b.local:8080/ws"},
			infos: []protocol.ServerInfo{
				info(protocol.RolePrimary, 0, true, "http://10.0.0.11:8080"),
				info(protocol.RoleStandby, 0, false, "http://10.0.0.12:8080"),
			},
			wantURLs:    []string{"ws://10.0.0.11:8080/ws", "ws://b.local:8080/ws", "ws://10.0.0.12:8080/ws"},
			wantCurRole: protocol.RolePrimary,
		},
		{
			name: "two laptops on the same port both name themselves localhost: still two servers",
			cfg:  AgentConfig{Server: "ws://10.0.0.11:8080/ws", Standby: "ws://10.0.0.12:8080/ws"},
			infos: []protocol.ServerInfo{
				info(protocol.RolePrimary, 0, true, "http://10.0.0.11:8080", "http://localhost:8080"),
				info(protocol.RoleStandby, 0, false, "http://10.0.0.12:8080", "http://localhost:8080"),
			},
			wantURLs:    []string{"ws://10.0.0.11:8080/ws", "ws://10.0.0.12:8080/ws"},
			wantCurRole: protocol.RolePrimary,
		},
		{
			name:        "an entry without a usable URL is skipped",
			cfg:         AgentConfig{Server: "ws://10.0.0.11:8080/ws"},
			infos:       []protocol.ServerInfo{info(protocol.RolePrimary, 0, true), info(protocol.RoleStandby, 0, false, "::bad")},
			wantURLs:    []string{"ws://10.0.0.11:8080/ws"},
			wantCurRole: protocol.RolePrimary,
		},
		{
			name: "the list is bounded",
			cfg:  AgentConfig{Server: "ws://a:1/ws"},
			infos: []protocol.ServerInfo{
				info(protocol.RolePrimary, 0, true, "http://a:1"),
				info(protocol.RoleStandby, 0, false, "http://b:1"), info(protocol.RoleStandby, 0, false, "http://c:1"),
				info(protocol.RoleStandby, 0, false, "http://d:1"), info(protocol.RoleStandby, 0, false, "http://e:1"),
			},
			wantURLs:    []string{"ws://a:1/ws", "ws://b:1/ws", "ws://c:1/ws", "ws://d:1/ws"},
			wantCurRole: protocol.RolePrimary,
		},
	} {
		s := newServerSet(tc.cfg)
		s.learn(s.cur, tc.infos)
		var urls []string
		for _, k := range s.list {
			urls = append(urls, k.url)
		}
		if !slices.Equal(urls, tc.wantURLs) || s.cur != tc.wantCur || s.current().role != tc.wantCurRole {
			t.Errorf("%s: servers %v, current %d (%s); want %v, %d (%s)", tc.name, urls, s.cur, s.current().role, tc.wantURLs, tc.wantCur, tc.wantCurRole)
		}
	}
}

// TestServerSetMergesAlias: the standby configured by name answers a probe
// with its addresses; the entry a welcome added for one of them is the
// same server, and goes.
func TestServerSetMergesAlias(t *testing.T) {
	s := newServerSet(AgentConfig{Server: "ws://10.0.0.11:8080/ws", Standby: "ws://b.local:8080/ws"})
	s.learn(0, []protocol.ServerInfo{
		{URLs: []string{"http://10.0.0.11:8080"}, Role: protocol.RolePrimary, Self: true},
		{URLs: []string{"http://10.0.0.12:8080"}, Role: protocol.RoleStandby},
	})
	s.next()
	s.next()
	if s.cur != 2 {
		t.Fatalf("current %d, want the learnt entry 2", s.cur)
	}
	s.cur = 0
	s.learn(1, []protocol.ServerInfo{
		{URLs: []string{"http://10.0.0.12:8080"}, Role: protocol.RoleStandby, Epoch: 3, Self: true},
		{URLs: []string{"http://10.0.0.11:8080"}, Role: protocol.RolePrimary, Epoch: 3},
	})
	if len(s.list) != 2 || s.list[1].url != "ws://b.local:8080/ws" || s.list[1].epoch != 3 || s.list[1].role != protocol.RoleStandby {
		t.Errorf("after the probe: %d servers, second %+v; want b.local, a standby at epoch 3", len(s.list), s.list[len(s.list)-1])
	}
	if s.find("10.0.0.12:8080") != 1 {
		t.Errorf("10.0.0.12:8080 is not known as b.local")
	}
}

func TestServerSetNextAlternates(t *testing.T) {
	s := newServerSet(AgentConfig{Server: "ws://a:1/ws", Standby: "ws://b:1/ws"})
	var got []string
	for range 4 {
		got = append(got, s.current().url)
		s.next()
	}
	if want := []string{"ws://a:1/ws", "ws://b:1/ws", "ws://a:1/ws", "ws://b:1/ws"}; !slices.Equal(got, want) {
		t.Errorf("dials %v, want %v", got, want)
	}
	if alone := newServerSet(AgentConfig{Server: "ws://a:1/ws"}); alone.multi() {
		t.Errorf("a single configured server counts as several")
	}
}

// TestServerSetKeepsTwoLaptopsNamedLocalhost: both servers list
// http://localhost:8080 among their addresses (every machine's name for
// itself); the agent learns each from its own answer and still knows two
// servers, with their roles.
func TestServerSetKeepsTwoLaptopsNamedLocalhost(t *testing.T) {
	s := newServerSet(AgentConfig{Server: "ws://10.0.0.11:8080/ws", Standby: "ws://10.0.0.12:8080/ws"})
	s.learn(0, []protocol.ServerInfo{
		{URLs: []string{"http://10.0.0.11:8080", "http://localhost:8080"}, Role: protocol.RolePrimary, Self: true},
		{URLs: []string{"http://10.0.0.12:8080", "http://localhost:8080"}, Role: protocol.RoleStandby},
	})
	s.learn(1, []protocol.ServerInfo{
		{URLs: []string{"http://10.0.0.12:8080", "http://localhost:8080"}, Role: protocol.RoleStandby, Self: true},
		{URLs: []string{"http://10.0.0.11:8080", "http://localhost:8080"}, Role: protocol.RolePrimary},
	})
	if len(s.list) != 2 || s.list[0].role != protocol.RolePrimary || s.list[1].role != protocol.RoleStandby {
		t.Fatalf("servers %+v %+v; want the primary and the standby, apart", s.list[0], s.list[min(1, len(s.list)-1)])
	}
	if got := s.witnessTargets(); len(got) != 1 || got[0] != "ws://10.0.0.12:8080/ws" {
		t.Fatalf("witness targets %v, want the standby", got)
	}
}
