package button

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// Timings of the witness reports.
const (
	// witnessPeriod is how often the agent tells the pair's standby how
	// long it has not heard the primary.
	witnessPeriod = time.Second
	// witnessTimeout bounds one report: the standby reads the next one a
	// second later anyway.
	witnessTimeout = probeTimeout
)

// witness is what the agent knows of the primary for the witness reports
// (issue #14: a standby takes over by itself only when a third machine
// lost the primary too). It belongs to the run goroutine. Durations are
// measured on the monotonic clock, like the timers: the agent's Clock
// dates presses, not outages.
type witness struct {
	// started is when the run began: the primary counts as lost since
	// then until the agent first hears it.
	started time.Time
	// heard is when the agent last knew the primary alive (a message on
	// its link, a report made while linked, the link's end); zero before
	// it ever did in this run.
	heard time.Time
	// sending: a round of reports is in flight; the next tick is skipped
	// until it ends, so a slow standby never piles them up.
	sending bool
}

// lostMs is how long the agent has not heard the primary, in ms at now: 0
// while linked, else the time since it last did, or since started.
func (w *witness) lostMs(linked bool, now time.Time) int64 {
	if linked {
		return 0
	}
	from := w.heard
	if from.IsZero() {
		from = w.started
	}
	return max(0, now.Sub(from).Milliseconds())
}

// onPrimary reports whether the agent is linked to a server it believes
// is the primary: welcomed, its epoch checked by a first state, and its
// role primary. The websocket gives a link up after DefaultDeadAfter of
// silence (no message, no pong), so a link up means the primary is heard.
func (l *loop) onPrimary() bool {
	return l.link != nil && l.welcomed && !l.awaitState && l.servers.current().role == protocol.RolePrimary
}

// heardPrimary records that the primary was heard now, if the agent is
// linked to it. The run calls it after every message and before a link
// ends: a link that ends was the primary's voice until then.
func (l *loop) heardPrimary() {
	if l.onPrimary() {
		l.wit.heard = time.Now()
	}
}

// witnessTargets returns the websocket URLs of the servers the agent
// believes are standbys, when it knows a pair; none with a single server.
// The primary is never among them.
func (s *serverSet) witnessTargets() []string {
	if !s.multi() {
		return nil
	}
	var out []string
	for _, k := range s.list {
		if k.role == protocol.RoleStandby {
			out = append(out, k.url)
		}
	}
	return out
}

// highestEpoch is the highest epoch the agent saw: in a state, or told by
// a server of itself or of its peer.
func (s *serverSet) highestEpoch() uint64 {
	e := s.seen
	for _, k := range s.list {
		e = max(e, k.epoch)
	}
	return e
}

// witnessTick sends, in the background, one witness report to every
// server believed to be a standby, and arms the next tick. Failures are
// logged at debug level: they never touch the link or the presses.
func (l *loop) witnessTick() {
	l.witnessAlarm.set(witnessPeriod)
	if l.wit.sending {
		return
	}
	targets := l.servers.witnessTargets()
	if len(targets) == 0 {
		return
	}
	l.heardPrimary()
	report := protocol.WitnessReport{Epoch: l.servers.highestEpoch(), LostMs: l.wit.lostMs(l.onPrimary(), time.Now())}
	l.wit.sending = true
	ctx, client, key, log := l.ctx, l.a.probeClient, l.a.cfg.Key, l.a.log
	go func() {
		var wg sync.WaitGroup
		for _, u := range targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := sendWitness(ctx, client, u, key, report); err != nil {
					log.Debug("button: witness report not taken", "server", u, "err", err)
				}
			}()
		}
		wg.Wait()
		select {
		case l.witnessed <- struct{}{}:
		case <-ctx.Done():
		}
	}()
}

// sendWitness is POST /api/v1/witness on the server dialed at ws, with the
// button key, within witnessTimeout.
func sendWitness(ctx context.Context, client *http.Client, ws, key string, report protocol.WitnessReport) error {
	body, err := json.Marshal(report)
	if err != nil {
		return fmt.Errorf("button: witness %s: %w", ws, err)
	}
	ctx, cancel := context.WithTimeout(ctx, witnessTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL(ws, "witness"), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("button: witness %s: %w", ws, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("button: witness %s: %w", ws, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxPairInfo)) // keep the connection for the next report
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("button: witness %s: HTTP %s", ws, resp.Status)
	}
	return nil
}
