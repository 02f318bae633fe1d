package display

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// fanout follows one broadcast until every socket it was queued on has
// written it (or been dropped), and then records how long that took: the
// server's own share of the fan-out latency.
type fanout struct {
	start time.Time
	left  atomic.Int64
	obs   prometheus.Observer
}

// newFanout starts following a broadcast. It holds one reference of its
// own until finish, so it cannot complete while sockets are being queued.
func newFanout(obs prometheus.Observer) *fanout {
	f := &fanout{start: time.Now(), obs: obs}
	f.left.Store(1)
	return f
}

// add counts n more sockets.
func (f *fanout) add(n int) {
	if f != nil {
		f.left.Add(int64(n))
	}
}

// done is called once per socket, and once by the broadcaster.
func (f *fanout) done() {
	if f != nil && f.left.Add(-1) == 0 {
		f.obs.Observe(time.Since(f.start).Seconds())
	}
}
