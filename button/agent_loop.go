package button

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/phatdong/phatdong/controller"
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

	inbox  chan linkEvent
	dialed chan dialResult

	link     Link // nil while disconnected
	gen      int  // numbers links, so late events of an old one are ignored
	welcomed bool
	dialing  bool
	attempt  int  // failed dials since the last welcome
	refused  bool // the server refused our hello
	failLogs int  // dial failures logged since the last welcome

	retry, welcome, expiry, syncAlarm, celebrate alarm

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
		presses: pressBook{byRef: map[string]*pending{}},
	}
}

// run is Agent.Run.
func (l *loop) run(ctx context.Context, events <-chan Event) error {
	defer l.stopAll()
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
	for _, t := range []*alarm{&l.retry, &l.welcome, &l.expiry, &l.syncAlarm, &l.celebrate} {
		t.stop()
	}
}

// dial starts dialing the server in the background.
func (l *loop) dial(ctx context.Context) {
	if l.dialing || l.link != nil {
		return
	}
	l.dialing = true
	l.gen++
	gen, url := l.gen, l.a.cfg.Server
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
		if l.failLogs == 1 || l.failLogs%10 == 0 {
			l.a.log.Warn("button: cannot reach the server", "server", l.a.cfg.Server, "attempts", l.failLogs, "err", r.err)
		} else {
			l.a.log.Debug("button: cannot reach the server", "server", l.a.cfg.Server, "attempts", l.failLogs, "err", r.err)
		}
		l.scheduleRetry()
		return
	}
	l.link, l.gen = r.link, r.gen
	go l.read(ctx, r.link, r.gen)
	hello := helloMsg{Type: "hello", Role: "button", Name: l.a.cfg.Name, Button: l.a.cfg.ButtonID, Key: l.a.cfg.Key}
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
// a reconnect. Presses not yet answered will be resent on the next link,
// if they are still young enough.
func (l *loop) down(err error) {
	if l.link == nil {
		return
	}
	_ = l.link.Close()
	l.link = nil
	was := l.welcomed
	l.welcomed = false
	l.welcome.stop()
	l.syncAlarm.stop()
	l.syncOut = 0
	l.presses.unsend()
	l.a.led.Set(FastBlink)
	if was {
		l.a.log.Warn("button: lost the server", "server", l.a.cfg.Server, "err", err, "unanswered", len(l.presses.byRef))
	} else {
		l.a.log.Warn("button: the server did not welcome this button", "server", l.a.cfg.Server, "err", err)
	}
	l.scheduleRetry()
}

// scheduleRetry arms the next reconnect: jittered exponential backoff
// capped at BackoffCap, or authBackoff after a refused hello.
func (l *loop) scheduleRetry() {
	d := backoff(l.attempt, l.a.rng.Float64())
	if l.refused {
		d = authBackoff
	}
	l.attempt++
	l.retry.set(d)
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

// handleMessage acts on one message from the server.
func (l *loop) handleMessage(m linkEvent) {
	msg := m.msg
	switch msg.Type {
	case "welcome":
		l.welcome.stop()
		l.welcomed, l.attempt, l.refused, l.failLogs = true, 0, false, 0
		l.a.log.Info("button: connected", "server", l.a.cfg.Server, "button", l.a.cfg.ButtonID, "clientId", msg.ClientID)
		l.syncAlarm.set(0)
		l.presses.flush(l)
	case "state":
		if msg.State != nil {
			l.showLaunch(msg.State.Launch, msg.ServerTime)
		}
	case "fire":
		l.fire(msg.FireID, msg.FireAt, 0)
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
// hello was refused: the server closes the link and the agent waits
// longer before trying again.
func (l *loop) serverError(e *controller.Error) {
	if e == nil {
		e = &controller.Error{Code: "unknown", Message: "an error without details"}
	}
	if !l.welcomed {
		l.refused = e.Code == controller.EUNAUTHORIZED || e.Code == controller.EFORBIDDEN || e.Code == controller.ERATELIMITED
		l.a.log.Error("button: the server refused this button: check key and button", "code", e.Code, "message", e.Message, "button", l.a.cfg.ButtonID)
		l.down(fmt.Errorf("refused: %s", e.Code))
		return
	}
	l.a.log.Error("button: the server reports an error", "code", e.Code, "message", e.Message)
}

// alarm is a one-shot timer whose channel is nil while it is not armed, so
// a select on C() ignores it.
type alarm struct {
	t  *time.Timer
	on bool
}

// set arms the alarm to ring after d, replacing any earlier setting.
func (a *alarm) set(d time.Duration) {
	if a.t == nil {
		a.t = time.NewTimer(d)
	} else {
		a.t.Reset(d)
	}
	a.on = true
}

// stop disarms the alarm.
func (a *alarm) stop() {
	if a.t != nil {
		a.t.Stop()
	}
	a.on = false
}

// fired records that the alarm rang.
func (a *alarm) fired() { a.on = false }

// C is the channel that rings, or nil while the alarm is off.
func (a *alarm) C() <-chan time.Time {
	if !a.on {
		return nil
	}
	return a.t.C
}
