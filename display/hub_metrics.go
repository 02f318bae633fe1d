package display

import (
	"log/slog"
	rtmetrics "runtime/metrics"

	"github.com/prometheus/client_golang/prometheus"
)

// hubMetrics are the hub's figures, registered in the server's registry.
type hubMetrics struct {
	clients     *prometheus.GaugeVec
	connections prometheus.Counter
	dropped     *prometheus.CounterVec
	bad         prometheus.Counter
	sent        prometheus.Counter
	broadcast   prometheus.Histogram
	fanout      *prometheus.HistogramVec
}

func newHubMetrics(reg prometheus.Registerer, log *slog.Logger) *hubMetrics {
	m := &hubMetrics{
		clients: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "phatdong_ws_clients",
			Help: "Introduced websocket clients, by role.",
		}, []string{"role"}),
		connections: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "phatdong_ws_connections_total",
			Help: "Websocket handshakes accepted.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "phatdong_ws_dropped_total",
			Help: "Sockets the server cut: slow (their queue filled) or garbage (too many bad messages).",
		}, []string{"reason"}),
		bad: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "phatdong_ws_bad_messages_total",
			Help: "Messages refused as malformed, oversize, unknown, forbidden or too fast.",
		}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "phatdong_ws_messages_sent_total",
			Help: "Messages (frames) written to sockets.",
		}),
		broadcast: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "phatdong_ws_broadcast_seconds",
			Help:    "Time to encode one published snapshot and queue it on every socket.",
			Buckets: []float64{.0001, .0003, .001, .003, .01, .03, .1, .3},
		}),
		fanout: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "phatdong_ws_fanout_seconds",
			Help:    "Time from encoding a broadcast (a state or the fire event) to its write on the last socket.",
			Buckets: []float64{.001, .002, .005, .01, .015, .02, .025, .03, .04, .05, .06, .08, .1, .15, .3, 1},
		}, []string{"kind"}),
	}
	for _, role := range []Role{RoleStage, RolePresenter, RoleOperator, RoleButton, RoleMonitor} {
		m.clients.WithLabelValues(string(role))
	}
	m.dropped.WithLabelValues("slow")
	m.dropped.WithLabelValues("garbage")
	if reg == nil {
		return m
	}
	live := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "phatdong_heap_live_bytes",
		Help: "Heap memory held by live objects as of the last garbage collection (runtime/metrics /gc/heap/live:bytes): memory per socket without the garbage of the moment.",
	}, heapLive)
	for _, c := range []prometheus.Collector{m.clients, m.connections, m.dropped, m.bad, m.sent, m.broadcast, m.fanout, live} {
		if err := reg.Register(c); err != nil {
			log.Warn("register a websocket metric", "err", err)
		}
	}
	return m
}

// heapLive reads the live heap as of the last garbage collection.
func heapLive() float64 {
	sample := []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	rtmetrics.Read(sample)
	if sample[0].Value.Kind() != rtmetrics.KindUint64 {
		return 0
	}
	return float64(sample[0].Value.Uint64())
}
