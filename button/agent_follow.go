package button

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// Timings of following the pair's primary.
const (
	// probePeriod is how often, while linked, the agent asks the pair's
	// other servers who they are.
	probePeriod = time.Second
	// probeTimeout bounds one probe: a server that takes longer is
	// unreachable for this round.
	probeTimeout = 800 * time.Millisecond
	// maxPairInfo bounds the answer of GET /api/v1/pair.
	maxPairInfo = 64 << 10
)

// probeResult is one server's answer to GET /api/v1/pair, or why there was
// none.
type probeResult struct {
	url  string // the server's websocket URL, as the agent dials it
	info protocol.PairInfo
	err  error
}

// probeClient returns the client of the probes: no proxy (a LAN), a
// connection kept a few seconds between probes, and the server's CA alone
// when roots is set.
func probeClient(roots *x509.CertPool) *http.Client {
	tr := &http.Transport{IdleConnTimeout: 5 * time.Second, TLSHandshakeTimeout: probeTimeout, MaxIdleConnsPerHost: 1}
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: probeTimeout}
}

// probe asks, in the background, the servers of the pair who they are:
// every other server, and the current one when its role is unknown. The
// answers come back on l.probed. A probe asked for while one runs is run
// when it ends.
func (l *loop) probe() {
	if !l.welcomed || !l.servers.multi() {
		return
	}
	if l.probing {
		l.probeSoon = true
		return
	}
	l.probeAlarm.stop()
	l.probing, l.probeSoon = true, false
	var urls []string
	for i, k := range l.servers.list {
		if i != l.servers.cur || k.role == "" {
			urls = append(urls, k.url)
		}
	}
	ctx, client := l.ctx, l.a.probeClient
	go func() {
		results := make([]probeResult, len(urls))
		var wg sync.WaitGroup
		for i, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				info, err := askPair(ctx, client, u)
				results[i] = probeResult{url: u, info: info, err: err}
			}()
		}
		wg.Wait()
		select {
		case l.probed <- results:
		case <-ctx.Done():
		}
	}()
}

// askPair is GET /api/v1/pair on the server dialed at ws, within
// probeTimeout.
func askPair(ctx context.Context, client *http.Client, ws string) (protocol.PairInfo, error) {
	var info protocol.PairInfo
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pairURL(ws), nil)
	if err != nil {
		return info, fmt.Errorf("button: probe %s: %w", ws, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return info, fmt.Errorf("button: probe %s: %w", ws, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return info, fmt.Errorf("button: probe %s: HTTP %s", ws, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxPairInfo)).Decode(&info); err != nil {
		return info, fmt.Errorf("button: probe %s: %w", ws, err)
	}
	return info, nil
}

// handleProbe takes the answers of a probe, then moves the link to a
// better primary if there is one, and schedules the next probe.
func (l *loop) handleProbe(results []probeResult) {
	l.probing = false
	for _, r := range results {
		i := l.servers.byURL(r.url)
		if i < 0 {
			continue
		}
		k := l.servers.list[i]
		if r.err != nil {
			if k.reachable {
				l.a.log.Info("button: a server of the pair does not answer", "server", r.url, "err", r.err)
			}
			k.reachable = false
			continue
		}
		k.reachable = true
		if l.servers.learn(i, r.info.Servers) {
			l.a.log.Info("button: learnt of another server of the pair", "servers", len(l.servers.list))
		}
	}
	if !l.welcomed {
		return // the next welcome probes again
	}
	if l.follow() {
		return
	}
	if l.probeSoon {
		l.probe()
		return
	}
	l.probeAlarm.set(probePeriod)
}

// follow moves the link to the server choose prefers, if it is not the
// current one, and reports whether it did.
func (l *loop) follow() bool {
	s := &l.servers
	j := choose(s.views(), s.cur, s.seen)
	if j == s.cur {
		return false
	}
	from, to := s.current(), s.list[j]
	l.a.log.Info("button: moving to the primary of the pair",
		"from", from.url, "fromRole", from.role, "fromEpoch", from.epoch, "to", to.url, "epoch", to.epoch, "unanswered", len(l.presses.byRef))
	l.close()
	s.cur = j
	l.attempt = 0
	l.retry.set(0)
	return true
}

// welcomeServers takes the pair's servers a welcome lists. With more than
// one server known, the presses wait for the first state, whose epoch
// tells whether this server may be obeyed, and a probe starts at once. It
// reports whether the presses may be sent now, as with a single server.
func (l *loop) welcomeServers(infos []protocol.ServerInfo) bool {
	s := &l.servers
	if len(infos) == 0 {
		s.current().role = protocol.RolePrimary // a server never paired is alone
	}
	if s.learn(s.cur, infos) {
		l.a.log.Info("button: the server has a pair: following its primary", "servers", len(s.list))
	}
	if !s.multi() {
		return true
	}
	l.awaitState = true
	l.probe()
	return false
}

// serversChanged takes a servers message: the pair's servers changed (a
// standby joined, a takeover). The list is learnt as a welcome's, from the
// current server; once the agent knows more than one server it probes at
// once, and so follows the primary and sends the witness reports. Presses
// are not held by it. When the current server tells of itself a higher
// epoch than the agent knew (it took over), the presses it refused as a
// standby are sent again, as after a state of a higher epoch. A servers
// message before the welcome is ignored: the welcome lists the servers.
func (l *loop) serversChanged(infos []protocol.ServerInfo) {
	if !l.welcomed {
		l.a.log.Debug("button: servers message before the welcome ignored")
		return
	}
	s := &l.servers
	k := s.current()
	epoch := k.epoch
	if s.learn(s.cur, infos) {
		l.a.log.Info("button: the pair's servers changed: following its primary", "servers", len(s.list))
	}
	if !s.multi() {
		return
	}
	if k.epoch > epoch && !l.awaitState {
		l.a.log.Info("button: the server's epoch rose", "server", k.url, "epoch", k.epoch)
		l.presses.unpark()
		l.presses.flush(l)
	}
	l.probe() // nothing when a send took the link down: the next welcome probes
}

// stateEpoch checks the epoch of a state from the current server. A state
// of a lower epoch than one already seen comes from a stale server: the
// agent ignores it and moves away, and stateEpoch returns false. A higher
// epoch than the server had means it took over or stepped down: its role
// is asked again, and presses a standby refused are sent again.
func (l *loop) stateEpoch(epoch uint64) bool {
	s := &l.servers
	k := s.current()
	if s.multi() && epoch < s.seen {
		l.a.log.Warn("button: this server is stale: its state is of an epoch lower than one already seen; moving away",
			"server", k.url, "epoch", epoch, "seen", s.seen)
		k.epoch = epoch
		if !l.follow() {
			l.down(fmt.Errorf("stale server at epoch %d, the pair is at %d", epoch, s.seen))
		}
		return false
	}
	rose := k.heard && epoch > k.epoch && s.multi()
	k.epoch, k.heard = epoch, true
	s.seen = max(s.seen, epoch)
	if rose {
		l.a.log.Info("button: the server's epoch rose", "server", k.url, "epoch", epoch)
		k.role = ""
		l.probe()
	}
	if l.awaitState || rose {
		l.awaitState = false
		l.presses.unpark()
		l.presses.flush(l)
	}
	return true
}
