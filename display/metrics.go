package display

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/phatdong/phatdong/controller"
)

// metrics are the HTTP edge's own figures. The hub registers its gauges
// (connected clients) in the same registry.
type metrics struct {
	commands     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	authFailures prometheus.Counter
	handler      http.Handler
}

// knownTypes bounds the "type" label, so a client cannot grow the series.
var knownTypes = map[string]bool{"replace-show": true}

func init() {
	for _, t := range []controller.CommandType{
		controller.CmdGoto, controller.CmdNext, controller.CmdPrevious, controller.CmdStart,
		controller.CmdPause, controller.CmdResume, controller.CmdResetTimer, controller.CmdAddTime,
		controller.CmdMessage, controller.CmdClearMsg, controller.CmdBlackout, controller.CmdArm,
		controller.CmdDisarm, controller.CmdPress, controller.CmdFire, controller.CmdResetLaunch,
		controller.CmdRehearsal, controller.CmdTakeover,
	} {
		knownTypes[string(t)] = true
	}
}

func newMetrics(reg *prometheus.Registry, engine *controller.Engine) (*metrics, error) {
	m := &metrics{
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "phatdong_http_commands_total",
			Help: "Commands received over HTTP, by type and outcome (accepted or the error code).",
		}, []string{"type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "phatdong_http_command_seconds",
			Help:    "Time to validate, commit (fsync) and publish a command received over HTTP.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1},
		}, []string{"type"}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "phatdong_http_auth_failures_total",
			Help: "Requests refused for a missing or wrong token.",
		}),
	}
	seq := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "phatdong_state_seq",
		Help: "Sequence number of the live state.",
	}, func() float64 { return float64(engine.Snapshot().State.Seq) })
	for _, c := range []prometheus.Collector{
		m.commands, m.latency, m.authFailures, seq,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("display: register metrics: %w", err)
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m, nil
}

func typeLabel(t string) string {
	if knownTypes[t] {
		return t
	}
	return "unknown"
}

// observeCommand counts one command by type and outcome.
func (m *metrics) observeCommand(typ string, err error) {
	outcome := "accepted"
	if err != nil {
		outcome = controller.ErrorCode(err)
	}
	m.commands.WithLabelValues(typeLabel(typ), outcome).Inc()
}

// observeLatency records how long the engine took over a command.
func (m *metrics) observeLatency(typ controller.CommandType, d time.Duration) {
	m.latency.WithLabelValues(typeLabel(string(typ))).Observe(d.Seconds())
}

// getMetrics answers GET /metrics in the Prometheus text format.
func (s *Server) getMetrics(c echo.Context) error {
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}
