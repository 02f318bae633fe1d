package button

import (
	"math"
	"time"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

// syncTimeout is how long a time request may stay unanswered before the
// agent asks again.
const syncTimeout = time.Second

// sendTime sends a clock-sync request and arms the alarm for a lost one.
func (l *loop) sendTime() {
	if !l.welcomed {
		return
	}
	t0 := l.a.local(l.a.clock.Now())
	if !l.send(protocol.TimeMsg{Type: protocol.TypeTime, T0: t0}) {
		return
	}
	l.syncOut = t0
	l.syncAlarm.set(syncTimeout)
}

// timeAnswer adds the sample of a time answer received at at, and
// schedules the next request.
func (l *loop) timeAnswer(msg inbound, at time.Time) {
	if l.syncOut == 0 || msg.T0 != l.syncOut {
		return // an answer to a request given up on
	}
	if msg.T1 == 0 || msg.T2 == 0 {
		l.a.log.Warn("button: a time answer without t1 and t2 is ignored")
		return // the alarm for a lost request asks again
	}
	l.syncOut = 0
	s := clocksync.Sample{T0: msg.T0, T1: msg.T1, T2: msg.T2, T3: l.a.local(at)}
	if err := l.a.est.Add(s); err != nil {
		l.a.log.Debug("button: clock sample rejected", "err", err)
	}
	e := l.a.est
	if e.Ready() && !l.synced {
		l.synced = true
		l.a.log.Info("button: clock synced to the server", "offsetMs", round3(e.Offset()), "rttMs", round3(e.RTT()), "uncertaintyMs", round3(e.Uncertainty()))
	}
	l.syncAlarm.set(clocksync.Schedule(e.Count()))
}

// round3 rounds x to 3 decimals for logs.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
