package display

import (
	"time"

	"github.com/gorilla/websocket"
)

// watchSilence cuts the sockets that promised a heartbeat in their hello
// and went silent for three of them (at least minSilence): a frozen tab or
// a sleeping tablet whose connection is still open. Pongs do not count: a
// browser's network stack may answer pings for a tab that no longer runs.
// It stops when the hub closes.
func (h *Hub) watchSilence() {
	tick := time.NewTicker(h.tune.silenceCheck)
	defer tick.Stop()
	for {
		select {
		case <-h.done:
			return
		case now := <-tick.C:
			for _, c := range h.introduced() {
				if limit := c.silenceLimit(h.tune.minSilence); limit > 0 && now.Sub(time.UnixMilli(c.lastHeard.Load())) > limit {
					h.metrics.dropped.WithLabelValues("silent").Inc()
					h.log.Warn("cutting a silent socket", "id", c.id, "role", c.role, "name", c.name, "addr", c.addr, "silentFor", limit)
					c.hc.CloseWith(websocket.ClosePolicyViolation, "no message for "+limit.String())
				}
			}
		}
	}
}

// silenceLimit is how long c may stay silent: three of its heartbeats and
// at least least; 0 when it promised none.
func (c *client) silenceLimit(least time.Duration) time.Duration {
	if c.heartbeat <= 0 {
		return 0
	}
	return max(3*c.heartbeat, least)
}
