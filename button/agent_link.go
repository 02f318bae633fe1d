package button

import (
	"context"
	"encoding/json"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// dial starts dialing the server in the background.
func (l *loop) dial(ctx context.Context) {
	if l.dialing || l.link != nil {
		return
	}
	l.dialing = true
	l.gen++
	gen, url := l.gen, l.servers.current().url
	go func() {
		link, err := l.a.dialer.Dial(ctx, url)
		select {
		case l.dialed <- dialResult{gen, link, err}:
		case <-ctx.Done():
			if link != nil {
				_ = link.Close()
			}
		}
	}()
}

// handleDial takes a finished dial: on success it says hello and starts
// reading; on failure it schedules the next attempt.
func (l *loop) handleDial(ctx context.Context, r dialResult) {
	l.dialing = false
	if r.err != nil {
		l.failLogs++
		d := l.scheduleRetry()
		server := l.servers.current().url
		l.servers.current().reachable = false // until a probe says otherwise
		l.servers.next()
		if l.failLogs == 1 || l.failLogs%10 == 0 {
			l.a.log.Warn("button: cannot reach the server", "server", server, "attempts", l.failLogs, "err", r.err, "retryIn", d)
		} else {
			l.a.log.Debug("button: cannot reach the server", "server", server, "attempts", l.failLogs, "err", r.err, "retryIn", d)
		}
		l.maybeRediscover()
		return
	}
	l.link, l.gen = r.link, r.gen
	go l.read(ctx, r.link, r.gen)
	hello := protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleButton, Name: l.a.cfg.Name, Button: l.a.cfg.ButtonID, Key: l.a.cfg.Key}
	if !l.send(hello) {
		return
	}
	l.welcome.set(welcomeWait)
}

// read forwards the messages of link to the run goroutine until the link
// fails.
func (l *loop) read(ctx context.Context, link Link, gen int) {
	for {
		data, err := link.Read()
		ev := linkEvent{gen: gen, at: l.a.clock.Now(), err: err}
		if err == nil {
			if jerr := json.Unmarshal(data, &ev.msg); jerr != nil {
				l.a.log.Warn("button: unreadable message from the server", "err", jerr)
				continue
			}
		}
		select {
		case l.inbox <- ev:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// send writes msg on the link. A failed write takes the link down; send
// then returns false.
func (l *loop) send(msg any) bool {
	data, err := json.Marshal(msg)
	if err != nil {
		l.a.log.Error("button: encode a message", "err", err)
		return false
	}
	if err := l.link.Write(data); err != nil {
		l.down(err)
		return false
	}
	return true
}

// down takes the link down after err, shows it on the LED, and schedules
// a reconnect, to the next known server when there are several. Presses
// not yet answered will be resent on the next link, if they are still
// young enough.
func (l *loop) down(err error) {
	if l.link == nil {
		return
	}
	was := l.close()
	l.a.led.Set(FastBlink)
	d := l.scheduleRetry()
	server := l.servers.current().url
	l.servers.current().reachable = false // until a probe says otherwise
	l.servers.next()
	if was {
		l.a.log.Warn("button: lost the server", "server", server, "err", err, "unanswered", len(l.presses.byRef), "retryIn", d)
	} else {
		l.a.log.Warn("button: the server did not welcome this button", "server", server, "err", err, "retryIn", d)
	}
}

// close ends the current link and forgets what belonged to it; it
// reports whether the link had been welcomed.
func (l *loop) close() bool {
	l.heardPrimary() // the link vouched for the primary until now
	_ = l.link.Close()
	l.link = nil
	was := l.welcomed
	l.welcomed, l.awaitState = false, false
	l.welcome.stop()
	l.syncAlarm.stop()
	l.probeAlarm.stop()
	l.syncOut = 0
	l.presses.unsend()
	return was
}

// scheduleRetry arms the next reconnect: jittered exponential backoff
// capped at BackoffCap, or authBackoff after a refused hello. It returns
// the delay, for the log.
func (l *loop) scheduleRetry() time.Duration {
	d := backoff(l.attempt, l.a.rng.Float64())
	if l.refused {
		d, l.refused = authBackoff, false
	}
	l.attempt++
	l.retry.set(d)
	return d
}

// backoff is the delay before reconnect attempt n (0 first), given a
// uniform random u in [0, 1): half the exponential delay plus a random
// part of the other half, so that many buttons restarted together do not
// knock on the server in step.
func backoff(n int, u float64) time.Duration {
	d := BackoffCap
	if n < 8 {
		d = min(BackoffCap, backoffBase<<n)
	}
	return d/2 + time.Duration(u*float64(d/2))
}
