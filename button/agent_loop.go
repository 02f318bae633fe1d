package button

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// Timings of the agent's connection.
const (
	// backoffBase is the first reconnect delay; each failed dial doubles it.
	backoffBase = 100 * time.Millisecond
	// BackoffCap bounds the reconnect delay, before jitter, so a server
	// that comes back is found within about 2 s.
	BackoffCap = 2 * time.Second
	// authBackoff is the delay after the server refused the hello: the
	// key or id is wrong, and retrying fast would only trip the server's
	// limit on failed attempts (10 a minute). The pages wait as long.
	authBackoff = 15 * time.Second
	// welcomeWait is how long the server may take to welcome the hello.
	welcomeWait = 3 * time.Second
)

// loop is the state of one Agent.Run. Everything in it is owned by the run
// goroutine; the link's reader and the dialer talk to it over channels.
type loop struct {
	a *Agent
	// ctx is Run's: the probes of the pair end with it.
	ctx context.Context

	inbox  chan linkEvent
	dialed chan dialResult
	probed chan []probeResult
	// witnessed tells that a round of witness reports ended.
	witnessed chan struct{}
	// found brings a browse of the LAN (agent_rediscover.go).
	found    chan browseResult
	browsing bool

	link     Link // nil while disconnected
	gen      int  // numbers links, so late events of an old one are ignored
	welcomed bool
	dialing  bool
	attempt  int  // failed dials since the last welcome
	refused  bool // the server refused our hello
	failLogs int  // dial failures logged since the last welcome

	retry, welcome, expiry, syncAlarm, celebrate, probeAlarm, witnessAlarm alarm

	// servers are the pair's servers the agent knows, and the one it is
	// on (agent_servers.go).
	servers serverSet
	// awaitState: with several servers known, presses wait after the
	// welcome for the first state, whose epoch says whether this server
	// may be obeyed.
	awaitState bool
	probing    bool // a probe of the pair runs
	probeSoon  bool // another probe is wanted when it ends
	// wit is what the witness reports to the standby need
	// (agent_witness.go).
	wit witness

	presses pressBook
	syncOut float64 // t0 of the time request in flight, 0 if none
	synced  bool    // the clock estimate was logged as ready

	fireSeen string // the fire whose celebration was handled
}

// linkEvent is a message read from a link, or the error that ended it.
type linkEvent struct {
	gen int
	msg inbound
	at  time.Time // when it was read, on the agent's clock
	err error
}

// dialResult is the outcome of one dial.
type dialResult struct {
	gen  int
	link Link
	err  error
}

func newLoop(a *Agent) *loop {
	return &loop{
		a: a, inbox: make(chan linkEvent, 64), dialed: make(chan dialResult, 1),
		probed: make(chan []probeResult, 1), witnessed: make(chan struct{}, 1), found: make(chan browseResult, 1),
		presses: pressBook{byRef: map[string]*pending{}}, servers: newServerSet(a.cfg),
	}
}

// run is Agent.Run.
func (l *loop) run(ctx context.Context, events <-chan Event) error {
	l.ctx = ctx
	l.wit.started = time.Now()
	defer l.stopAll()
	l.witnessAlarm.set(witnessPeriod)
	l.a.led.Set(FastBlink)
	l.dial(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				events = nil // the input stopped; keep the server's state on the LED
				continue
			}
			l.handleEvent(ev)
		case r := <-l.dialed:
			l.handleDial(ctx, r)
		case m := <-l.inbox:
			if m.gen != l.gen || l.link == nil {
				continue
			}
			if m.err != nil {
				l.down(m.err)
				continue
			}
			l.handleMessage(m)
			l.heardPrimary()
		case r := <-l.probed:
			l.handleProbe(r)
		case r := <-l.found:
			l.handleFound(r)
		case <-l.witnessAlarm.C():
			l.witnessAlarm.fired()
			l.witnessTick()
		case <-l.witnessed:
			l.wit.sending = false
		case <-l.probeAlarm.C():
			l.probeAlarm.fired()
			l.probe()
		case <-l.retry.C():
			l.retry.fired()
			l.dial(ctx)
		case <-l.welcome.C():
			l.welcome.fired()
			l.down(errors.New("no welcome from the server"))
		case <-l.syncAlarm.C():
			l.syncAlarm.fired()
			l.sendTime()
		case <-l.celebrate.C():
			l.celebrate.fired()
			if l.welcomed {
				l.a.led.Set(Celebrate)
			}
		case <-l.expiry.C():
			l.expiry.fired()
			l.expire()
		}
	}
}

// stopAll closes the link and stops every timer.
func (l *loop) stopAll() {
	if l.link != nil {
		_ = l.link.Close()
		l.link = nil
	}
	for _, t := range []*alarm{&l.retry, &l.welcome, &l.expiry, &l.syncAlarm, &l.celebrate, &l.probeAlarm, &l.witnessAlarm} {
		t.stop()
	}
	l.a.probeClient.CloseIdleConnections()
}

// handleMessage acts on one message from the server.
func (l *loop) handleMessage(m linkEvent) {
	msg := m.msg
	switch msg.Type {
	case "welcome":
		l.welcome.stop()
		l.welcomed, l.attempt, l.refused, l.failLogs = true, 0, false, 0
		l.a.log.Info("button: connected", "server", l.servers.current().url, "button", l.a.cfg.ButtonID, "clientId", msg.ClientID)
		l.syncAlarm.set(0)
		if l.welcomeServers(msg.Servers) {
			l.presses.flush(l)
		}
	case "state":
		if msg.State != nil && l.stateEpoch(msg.State.Epoch) {
			l.showLaunch(msg.State.Launch, msg.ServerTime)
		}
	case "fire":
		if l.awaitState {
			return // nothing from this server counts before its epoch is known
		}
		l.fire(msg.FireID, msg.FireAt, 0)
	case protocol.TypeServers:
		l.serversChanged(msg.Servers)
	case protocol.TypeLEDTest:
		l.ledTest(msg.Hz, msg.DurationMs)
	case "answer":
		l.presses.answer(l, msg, m.at)
	case "time":
		l.timeAnswer(msg, m.at)
	case "error":
		if _, ok := l.presses.byRef[msg.Ref]; ok && msg.Ref != "" {
			l.presses.answer(l, msg, m.at) // a press refused as a bad message
			return
		}
		l.serverError(msg.Error)
	default:
		l.a.log.Debug("button: message ignored", "type", msg.Type)
	}
}

// serverError logs an error message. Before the welcome, it means the
// hello was refused (a wrong key, a bad id or name, or too many failures
// from this address): the server closes the link, and the agent waits
// authBackoff before trying again, as retrying at once would not help.
func (l *loop) serverError(e *protocol.Error) {
	if e == nil {
		e = &protocol.Error{Code: "unknown", Message: "an error without details"}
	}
	if !l.welcomed {
		l.refused = true
		l.a.log.Error("button: the server refused this button: check key and button", "code", e.Code, "message", e.Message, "button", l.a.cfg.ButtonID, "retryIn", authBackoff)
		l.down(fmt.Errorf("refused: %s", e.Code))
		return
	}
	l.a.log.Error("button: the server reports an error", "code", e.Code, "message", e.Message)
}
