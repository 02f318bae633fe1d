package button

import (
	"net/url"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

// Looking again: an agent that found its server by mDNS (AgentConfig.Server
// "auto", AgentOptions.Rediscover) browses the LAN again while none of the
// servers it knows answers: the server laptop came back with another
// address from the venue's DHCP, or the crew moved the show to another
// laptop. The agent found its server once at start before (issue #17).

// rediscoverEvery is how many failed dials in a row start a browse: with
// the backoff, about 3-5 s without a server, and as often again while
// none answers.
const rediscoverEvery = 6

// browseResult is the outcome of one browse.
type browseResult struct {
	records []dnssd.Record
	err     error
}

// maybeRediscover starts a browse after every rediscoverEvery failed
// dials in a row, when the agent may look and no browse runs.
func (l *loop) maybeRediscover() {
	if l.a.rediscover == nil || l.browsing || l.failLogs%rediscoverEvery != 0 {
		return
	}
	l.browsing = true
	browse, ctx := l.a.rediscover, l.ctx
	go func() {
		records, err := browse(ctx, DiscoverTimeout)
		select {
		case l.found <- browseResult{records, err}:
		case <-ctx.Done():
		}
	}()
}

// handleFound takes a browse's answers: a primary at an address the agent
// does not know becomes the server it dials next (in place of the one it
// knew, when it knew one alone).
func (l *loop) handleFound(r browseResult) {
	l.browsing = false
	p, ok := dnssd.Primary(r.records)
	if !ok {
		l.a.log.Warn("button: looked for the server on the LAN again: no primary answers", "answers", len(r.records), "err", r.err)
		return
	}
	ws, err := url.Parse(p.WebsocketURL())
	if err != nil || ws.Host == "" {
		return
	}
	if ws.Scheme != l.servers.scheme {
		l.a.log.Warn("button: the server found on the LAN speaks another scheme than the one configured; not used", "server", ws.String(), "want", l.servers.scheme)
		return
	}
	ws.Path = l.servers.path
	u := ws.String()
	if l.servers.find(hostOf(u)) >= 0 {
		return // known: the reconnects try it anyway
	}
	if !l.servers.adopt(u) {
		return
	}
	l.a.log.Warn("button: the server answers on the LAN at a new address; dialing it", "server", u, "host", p.Host)
	if l.link == nil && !l.dialing {
		l.retry.stop()
		l.dial(l.ctx)
	}
}

// adopt makes the server at websocket URL u current: in place of the one
// server known, or beside the pair's while there is room. It reports
// whether u is now current.
func (s *serverSet) adopt(u string) bool {
	k := &knownServer{url: u, hosts: []string{hostOf(u)}}
	switch {
	case !s.multi():
		s.list[0], s.cur = k, 0
	case len(s.list) < maxServers:
		s.list = append(s.list, k)
		s.cur = len(s.list) - 1
	default:
		return false
	}
	return true
}
