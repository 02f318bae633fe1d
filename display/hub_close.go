package display

import (
	"slices"
	"time"

	"github.com/gorilla/websocket"
)

// keepalive pings the sockets that have been silent for a while, so a dead
// peer is noticed (its read deadline passes) and a live one stays listed.
// Each socket's own silence decides, so pings are spread over time.
func (h *Hub) keepalive() {
	t := time.NewTicker(h.tune.sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case now := <-t.C:
			cutoff := now.Add(-h.tune.pingAfter).UnixMilli()
			var silent []*client
			h.mu.Lock()
			for _, c := range h.clients {
				if c.ready && c.lastSeen.Load() < cutoff && c.pinged.Load() < cutoff {
					silent = append(silent, c)
				}
			}
			h.mu.Unlock()
			for _, c := range silent {
				c.pinged.Store(now.UnixMilli())
				c.send(outMsg{kind: outFrame, frame: pingFrame})
			}
		}
	}
}

// Close disconnects every socket with a going-away close (1001), waits a
// moment for the peers to answer, then cuts the rest. New sockets are
// refused. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	all := slices.Clone(h.clients)
	h.mu.Unlock()
	close(h.done)
	h.presence.stop()

	bye := closeFrame(websocket.CloseGoingAway, "the server is shutting down")
	grace := time.Now().Add(h.tune.closeGrace)
	for _, c := range all {
		c.send(outMsg{kind: outClose, frame: bye})
		_ = c.conn.SetReadDeadline(grace) // the reader waits for the peer's close until then
	}
	finished := make(chan struct{})
	go func() {
		h.readers.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(h.tune.closeGrace + h.tune.writeWait/10):
		for _, c := range all {
			c.conn.Close()
		}
		<-finished
	}
	h.log.Info("websocket hub closed", "sockets", len(all))
}
