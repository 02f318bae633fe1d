package display

import (
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/hub"
)

// send encodes one snapshot once and queues it on every socket: first the
// fire event when the launch has just fired (to every socket, before
// anything else), then the show when it changed (operators and monitors),
// then the state.
func (h *Hub) send(s controller.Snapshot) {
	st := s.State
	prev := h.last
	if prev.valid && st.Seq <= prev.seq {
		return // already sent: the hub was subscribed twice
	}
	h.last = published{valid: true, seq: st.Seq, showRev: st.ShowRev, fireID: st.Launch.FireID}
	start := time.Now()

	l := st.Launch
	if l.Phase == controller.LaunchFired && l.FireID != "" && l.FireID != prev.fireID {
		if !prev.valid {
			// Fired before this server started: accept reports against it,
			// but the moment itself is long announced.
			h.fires.open(l, time.Time{}, 0)
		} else if frame, err := encodeFire(l, s.Show.Launch.Caption); err != nil {
			h.log.Error("encode the fire event", "fireId", l.FireID, "err", err)
		} else {
			fan := newFanout(h.metrics.fanout.WithLabelValues("fire"))
			sentAt := time.Now()
			n := h.broadcast(frame, nil, fan, nil)
			h.fires.open(l, sentAt, n)
			h.presence.changed(true) // the operators see the fire, and its cues, at once
			h.log.Info("fire event sent", "fireId", l.FireID, "fireAt", l.FireAt, "sockets", n, "took", time.Since(start))
		}
	}

	if !prev.valid || st.ShowRev != prev.showRev {
		if frame, err := encodeShow(s.Show, st.ShowRev); err != nil {
			h.log.Error("encode the show", "showRev", st.ShowRev, "err", err)
		} else {
			h.broadcast(frame, (*client).seesShow, nil, func() { h.show = frame })
		}
	}
	frame, err := encodeState(s, h.serverNow())
	if err != nil {
		h.log.Error("encode the state", "seq", st.Seq, "err", err)
		return
	}
	h.broadcast(frame, nil, newFanout(h.metrics.fanout.WithLabelValues("state")), func() { h.state = frame })
	h.metrics.broadcast.Observe(time.Since(start).Seconds())
}

// broadcast queues frame on every introduced socket that want accepts
// (all when want is nil) and returns how many took it. keep, when not
// nil, records the frame for sockets introduced from now on; it runs
// under h.mu with the queueing, so every socket gets either this
// broadcast or the recorded frame, never neither. fan, when not nil,
// follows the writes.
func (h *Hub) broadcast(frame *hub.Frame, want func(*client) bool, fan *fanout, keep func()) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if keep != nil {
		keep()
	}
	it := hub.Item{Frame: frame}
	if fan != nil {
		it.Done = fan.done
	}
	n := h.ws.Broadcast(it, func(hc *hub.Client) bool {
		c := hc.Data.(*client)
		if !c.ready.Load() || (want != nil && !want(c)) {
			return false
		}
		fan.add(1)
		return true
	})
	fan.done()
	return n
}
