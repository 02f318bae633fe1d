package button

import (
	"fmt"
	"slices"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// pending is a press the server has not answered yet.
type pending struct {
	seq     int
	ref, id string
	at      time.Time // when it began on the line
	sent    bool      // sent on the current link
	parked  bool      // refused by a standby on the current link: waits for a primary
	retake  bool      // unparked: the current server's epoch rose
	sends   int
	sentAt  time.Time
	stamp   int64 // pressedAt of the last send
}

// pressBook holds the presses not yet answered, by ref.
type pressBook struct {
	seq   int
	byRef map[string]*pending
}

// handleEvent takes an event from the input.
func (l *loop) handleEvent(ev Event) {
	switch ev.Kind {
	case Press:
		p := l.presses.add(l.a, ev)
		l.a.log.Info("button: press", "pressId", p.id, "filtered", ev.Seen.Sub(ev.At).Round(10*time.Microsecond))
		if !l.expiry.on {
			l.expiry.set(l.a.cfg.MaxAge + time.Millisecond)
		}
		if l.welcomed && !l.awaitState {
			l.presses.sendOne(l, p)
		} else {
			l.a.log.Warn("button: press held until the server is back", "pressId", p.id, "maxAge", l.a.cfg.MaxAge)
		}
	case Fault:
		l.a.log.Warn("button: the button line has stayed pressed: a stuck button, a short in the cable, or a leader holding it down; no press counts until it is released",
			"since", ev.At.Format("15:04:05.000"))
	case FaultCleared:
		l.a.log.Info("button: the button line is released; presses count again")
	}
}

// add records a new press and gives it its id: the button, the press time
// in Unix ms, a random session tag that differs on every start of the
// agent, and a counter, e.g. nut-1-1744600000123-7f2a-3.
func (b *pressBook) add(a *Agent, ev Event) *pending {
	b.seq++
	p := &pending{
		seq: b.seq, ref: fmt.Sprintf("p%d", b.seq), at: ev.At,
		id: fmt.Sprintf("%s-%d-%s-%d", a.cfg.ButtonID, ev.At.UnixMilli(), a.session, b.seq),
	}
	b.byRef[p.ref] = p
	return p
}

// sendOne sends p on the current link, or drops it when it is older than
// MaxAge: a press is never sent that late.
func (b *pressBook) sendOne(l *loop, p *pending) bool {
	now := l.a.clock.Now()
	if age := now.Sub(p.at); age > l.a.cfg.MaxAge {
		b.drop(l, p, age)
		return true
	}
	p.stamp = l.a.serverMs(p.at)
	if !l.send(protocol.PressMsg{Type: protocol.TypePress, Ref: p.ref, PressID: p.id, PressedAt: p.stamp}) {
		return false
	}
	p.sent, p.sentAt = true, now
	p.sends++
	switch {
	case p.retake:
		l.a.log.Info("button: press resent to the server, whose epoch rose", "pressId", p.id, "age", now.Sub(p.at).Round(time.Millisecond), "sends", p.sends)
	case p.sends > 1:
		l.a.log.Info("button: press resent after a reconnect", "pressId", p.id, "age", now.Sub(p.at).Round(time.Millisecond), "sends", p.sends)
	}
	p.retake = false
	return true
}

// flush sends, oldest first, every press not sent on the current link.
func (b *pressBook) flush(l *loop) {
	for _, p := range b.sorted() {
		if !p.sent && !p.parked && !b.sendOne(l, p) {
			return // the link went down; the rest wait for the next one
		}
	}
}

// unsend marks every press as not sent on the current link: the link is
// gone, and its answers with it.
func (b *pressBook) unsend() {
	for _, p := range b.byRef {
		p.sent, p.parked = false, false
	}
}

// unpark makes the presses a standby refused ready to be sent again on
// the current link: its epoch rose, it may have taken over.
func (b *pressBook) unpark() {
	for _, p := range b.byRef {
		p.retake = p.retake || p.parked
		p.parked = false
	}
}

// park keeps p, refused by a standby, waiting for the primary: it is sent
// again, with the same id, once the agent is linked to another server or
// this one's epoch rises, while it is younger than MaxAge. It asks the
// pair at once where the primary is.
func (b *pressBook) park(l *loop, p *pending) {
	p.sent, p.parked = false, true
	l.servers.current().role = protocol.RoleStandby
	l.a.log.Warn("button: press refused by a standby server: held for the primary",
		"pressId", p.id, "server", l.servers.current().url, "age", l.a.clock.Now().Sub(p.at).Round(time.Millisecond))
	l.probe()
}

// sorted returns the pending presses, oldest first.
func (b *pressBook) sorted() []*pending {
	ps := make([]*pending, 0, len(b.byRef))
	for _, p := range b.byRef {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(x, y *pending) int { return x.seq - y.seq })
	return ps
}

// drop forgets p, unanswered and too old to send.
func (b *pressBook) drop(l *loop, p *pending, age time.Duration) {
	delete(b.byRef, p.ref)
	why := "the server could not be reached in time, and a launch that fires late is worse than a second press"
	if p.parked {
		why = "only a standby server answered in time, and a launch that fires late is worse than a second press"
	} else if p.sent {
		why = "the server did not answer in time; its state still shows on the LED"
	}
	l.a.log.Warn("button: press dropped: "+why,
		"pressId", p.id, "age", age.Round(time.Millisecond), "maxAge", l.a.cfg.MaxAge, "sends", p.sends)
	l.result(PressResult{PressID: p.id, At: p.at, PressedAt: p.stamp, Dropped: true, Sends: p.sends})
}

// expire drops the presses older than MaxAge, sent or not, and arms the
// alarm for the next one. A press waiting for a link is never sent that
// late; one sent on a live link that got no answer is given up.
func (l *loop) expire() {
	now := l.a.clock.Now()
	var next time.Time
	for _, p := range l.presses.sorted() {
		age := now.Sub(p.at)
		if age > l.a.cfg.MaxAge {
			l.presses.drop(l, p, age)
		} else if next.IsZero() {
			next = p.at
		}
	}
	if !next.IsZero() {
		l.expiry.set(next.Add(l.a.cfg.MaxAge).Sub(now) + time.Millisecond)
	}
}

// answer takes the server's answer to a press.
func (b *pressBook) answer(l *loop, msg inbound, at time.Time) {
	p, ok := b.byRef[msg.Ref]
	if !ok || !p.sent {
		l.a.log.Info("button: answer to a press no longer waiting (dropped, or sent on an earlier link)", "ref", msg.Ref)
		return
	}
	if notPrimary(msg) && l.servers.multi() {
		b.park(l, p)
		return
	}
	delete(b.byRef, msg.Ref)
	r := PressResult{PressID: p.id, At: p.at, PressedAt: p.stamp, Sends: p.sends, RTT: at.Sub(p.sentAt)}
	e := msg.Error
	if msg.Answer != nil {
		r.Outcome = msg.Answer.Outcome
		if msg.Answer.Error != nil {
			e = msg.Answer.Error
		}
	}
	if e != nil {
		r.Outcome, r.Code, r.Message = "", e.Code, e.Message
	}
	attrs := []any{"pressId", p.id, "rtt", r.RTT.Round(10 * time.Microsecond)}
	switch {
	case r.Outcome == protocol.OutcomeFired:
		l.a.log.Info("button: press answered: it fired the launch", append(attrs, "outcome", r.Outcome)...)
	case r.Outcome == protocol.OutcomeCounted:
		l.a.log.Info("button: press answered: counted, waiting for the other buttons", append(attrs, "outcome", r.Outcome)...)
	case r.Code == protocol.CodeNotArmed:
		l.a.log.Warn("button: press answered: the launch is not armed, the press was ignored", append(attrs, "code", r.Code)...)
	case r.Code == protocol.CodeDuplicate:
		l.a.log.Info("button: press answered: duplicate, it changes nothing", append(attrs, "code", r.Code, "message", r.Message)...)
	case r.Code != "":
		l.a.log.Error("button: press refused", append(attrs, "code", r.Code, "message", r.Message)...)
	default:
		l.a.log.Warn("button: press answered without an outcome", attrs...)
	}
	l.result(r)
}

// notPrimary reports whether msg refuses a press because the server is a
// standby: that is no answer, the primary must take the press.
func notPrimary(msg inbound) bool {
	if msg.Answer != nil && msg.Answer.Error != nil {
		return msg.Answer.Error.Code == protocol.CodeNotPrimary
	}
	return msg.Error != nil && msg.Error.Code == protocol.CodeNotPrimary
}

// result hands r to OnResult, if set.
func (l *loop) result(r PressResult) {
	if l.a.onResult != nil {
		l.a.onResult(r)
	}
}
