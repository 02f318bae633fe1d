package display

import (
	"sync"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// Sharing of a broadcast's writes.
const (
	maxShards    = 8  // goroutines writing one broadcast at most
	minShardSize = 32 // fewer sockets than this per goroutine are not worth one
)

// send encodes one snapshot once and writes it to every socket: first the
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
	frame, err := encodeState(s)
	if err != nil {
		h.log.Error("encode the state", "seq", st.Seq, "err", err)
		return
	}
	h.broadcast(frame, nil, newFanout(h.metrics.fanout.WithLabelValues("state")), func() { h.state = frame })
	h.metrics.broadcast.Observe(time.Since(start).Seconds())
}

// broadcast writes frame to every introduced socket that want accepts
// (all when want is nil) and returns how many took it or queued it. keep,
// when not nil, records the frame for sockets introduced from now on; it
// runs under h.mu with the choice of recipients, so every socket gets
// either this broadcast or the recorded frame, never neither. fan, when
// not nil, follows the writes.
//
// The writes are shared by a few goroutines, one per core: a write that
// the socket takes at once costs one system call, and a socket that
// cannot take it is left to its own writer goroutine.
func (h *Hub) broadcast(frame []byte, want func(*client) bool, fan *fanout, keep func()) int {
	h.mu.Lock()
	if keep != nil {
		keep()
	}
	list := make([]*client, 0, len(h.clients))
	for _, c := range h.clients {
		if c.ready && (want == nil || want(c)) {
			list = append(list, c)
		}
	}
	h.mu.Unlock()

	k := min(h.shards, max(len(list)/minShardSize, 1))
	counts := make([]int, k)
	var wg sync.WaitGroup
	for i := range k {
		part := list[i*len(list)/k : (i+1)*len(list)/k]
		write := func() {
			fan.add(len(part)) // once per share: the counter is shared by the cores
			for _, c := range part {
				if c.send(outMsg{kind: outFrame, frame: frame, fan: fan}) {
					counts[i]++
				}
			}
		}
		if i == k-1 {
			write() // the last share is this goroutine's
		} else {
			wg.Go(write)
		}
	}
	wg.Wait()
	fan.done()
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
