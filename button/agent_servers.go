package button

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/phatdong/phatdong/protocol"
)

// maxServers bounds the servers the agent keeps: a pair is two, and a
// welcome or a probe answer must not grow the list without end.
const maxServers = 4

// serverView is what the agent knows of one server when it chooses where
// to be: its role and epoch as last heard, and whether it answered the
// last probe.
type serverView struct {
	// role is protocol.RolePrimary or protocol.RoleStandby; "" while
	// unknown (a server whose epoch just rose, or one only heard of).
	role string
	// epoch is the highest epoch the server reported or its states
	// carried: a server's epoch only rises.
	epoch uint64
	// reachable: the server answered the last probe.
	reachable bool
}

// knownServer is one server the agent may link to.
type knownServer struct {
	serverView
	// url is the websocket URL the agent dials.
	url string
	// heard: the server told its epoch itself (a welcome, a probe's
	// answer, a state), so a higher one later means it changed role.
	heard bool
	// hosts are the host:port pairs the server is known by (the one of
	// url, and those of its own ServerInfo.URLs), to recognise it in a
	// list of servers.
	hosts []string
}

// serverSet is the servers the agent knows, the one it is on, and the
// highest epoch it saw in a state. It belongs to the run goroutine.
type serverSet struct {
	list []*knownServer
	cur  int
	// seen is the highest epoch of a state the agent received: a server
	// whose states are of a lower epoch is stale.
	seen uint64
	// scheme and path are the configured server's (ws or wss, and /ws
	// usually): servers learnt from the pair are dialed the same way, so
	// the configured CA applies to them too.
	scheme, path string
}

// newServerSet returns the configured servers, the first one current.
func newServerSet(cfg AgentConfig) serverSet {
	s := serverSet{scheme: "ws", path: "/ws"}
	if u, err := url.Parse(cfg.Server); err == nil {
		s.scheme, s.path = u.Scheme, u.Path
	}
	for _, u := range []string{cfg.Server, cfg.Standby} {
		if u != "" && s.find(hostOf(u)) < 0 {
			s.list = append(s.list, &knownServer{url: u, hosts: []string{hostOf(u)}})
		}
	}
	return s
}

// current is the server the agent is on, or dials next.
func (s *serverSet) current() *knownServer { return s.list[s.cur] }

// multi reports whether the agent knows more than one server: only then
// does it probe, follow the epoch, and hold presses a standby refused.
func (s *serverSet) multi() bool { return len(s.list) > 1 }

// next makes the following server current, so that reconnects alternate
// between the known servers.
func (s *serverSet) next() {
	s.cur = (s.cur + 1) % len(s.list)
}

// find returns the index of the server known by host, or -1.
func (s *serverSet) find(host string) int {
	if host == "" {
		return -1
	}
	for i, k := range s.list {
		if slices.Contains(k.hosts, host) {
			return i
		}
	}
	return -1
}

// byURL returns the index of the server dialed at u, or -1.
func (s *serverSet) byURL(u string) int {
	for i, k := range s.list {
		if k.url == u {
			return i
		}
	}
	return -1
}

// learn takes a list of servers as server from reports it (a welcome, or
// a probe's answer): the entry marked self tells from's role, epoch and
// addresses; the others, if unknown yet, are added (unreachable until a
// probe answers). It reports whether the list grew.
func (s *serverSet) learn(from int, infos []protocol.ServerInfo) bool {
	grew := false
	for _, info := range infos {
		if info.Self {
			k := s.list[from]
			k.role, k.epoch, k.heard = info.Role, max(k.epoch, info.Epoch), true
			for _, base := range info.URLs {
				if !isLocalName(base) {
					from = s.alias(from, hostOf(base))
				}
			}
			continue
		}
		if s.known(info) || len(s.list) >= maxServers {
			continue
		}
		u, ok := s.wsURL(info.URLs)
		if !ok {
			continue
		}
		s.list = append(s.list, &knownServer{url: u, hosts: []string{hostOf(u)}, serverView: serverView{role: info.Role, epoch: info.Epoch}})
		grew = true
	}
	return grew
}

// known reports whether one of info's URLs names a known server.
func (s *serverSet) known(info protocol.ServerInfo) bool {
	for _, base := range info.URLs {
		if !isLocalName(base) && s.find(hostOf(base)) >= 0 {
			return true
		}
	}
	return false
}

// alias records host as one of server i's addresses. Another entry known
// by that host was the same server under another name: it is merged away,
// unless it is the current one, which keeps its name.
func (s *serverSet) alias(i int, host string) int {
	if host == "" || slices.Contains(s.list[i].hosts, host) {
		return i
	}
	j := s.find(host)
	if j == s.cur && j != i {
		return i
	}
	if j >= 0 {
		s.list = slices.Delete(s.list, j, j+1)
		if j < s.cur {
			s.cur--
		}
		if j < i {
			i--
		}
	}
	s.list[i].hosts = append(s.list[i].hosts, host)
	return i
}

// wsURL converts the first usable base URL of a server (http://host:port)
// to the websocket URL the agent dials, with the configured scheme and
// path.
func (s *serverSet) wsURL(bases []string) (string, bool) {
	for _, base := range bases {
		u, err := url.Parse(base)
		if err != nil || u.Host == "" {
			continue
		}
		return (&url.URL{Scheme: s.scheme, Host: u.Host, Path: s.path}).String(), true
	}
	return "", false
}

// views returns what choose needs of every server.
func (s *serverSet) views() []serverView {
	out := make([]serverView, len(s.list))
	for i, k := range s.list {
		out[i] = k.serverView
	}
	return out
}

// choose returns the index of the server the agent should be on: cur, or
// a reachable primary whose epoch is at least seen (a lower one is never
// obeyed again) that is better than cur, because its epoch is higher, or
// cur is not known as a primary (a standby, or a role unknown) and it is
// at least at cur's epoch, or cur is stale. Of several, the highest epoch
// wins, then the first.
func choose(servers []serverView, cur int, seen uint64) int {
	c := servers[cur]
	best := cur
	for j, s := range servers {
		if j == cur || !s.reachable || s.role != protocol.RolePrimary || s.epoch < seen {
			continue
		}
		better := s.epoch > c.epoch || c.epoch < seen || (c.role != protocol.RolePrimary && s.epoch >= c.epoch)
		if better && (best == cur || s.epoch > servers[best].epoch) {
			best = j
		}
	}
	return best
}

// isLocalName reports whether a server's URL names it "localhost": every
// machine's name for itself, which says nothing of which server it is (two
// laptops on the same port both list http://localhost:8080).
func isLocalName(u string) bool {
	p, err := url.Parse(u)
	return err == nil && strings.EqualFold(p.Hostname(), "localhost")
}

// hostOf returns the host:port of URL u, with the scheme's default port
// when it has none, or "" when u cannot be read.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return ""
	}
	if p.Port() != "" {
		return strings.ToLower(p.Host)
	}
	port := "80"
	if p.Scheme == "wss" || p.Scheme == "https" {
		port = "443"
	}
	return strings.ToLower(net.JoinHostPort(p.Hostname(), port))
}

// pairURL is the address of GET /api/v1/pair on the server dialed at
// websocket URL ws.
func pairURL(ws string) string { return apiURL(ws, "pair") }

// apiURL is the address of /api/v1/<name> on the server dialed at
// websocket URL ws: http(s), the same host, the API beside the socket's
// path.
func apiURL(ws, name string) string {
	u, err := url.Parse(ws)
	if err != nil {
		return ""
	}
	scheme := "http"
	if u.Scheme == "wss" {
		scheme = "https"
	}
	prefix := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/ws")
	return (&url.URL{Scheme: scheme, Host: u.Host, Path: prefix + "/api/v1/" + name}).String()
}
