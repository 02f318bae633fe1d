package button

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/phatdong/phatdong/clocksync"
)

// AgentOptions are the agent's collaborators. A zero field takes its
// default.
type AgentOptions struct {
	// LED shows the launch state; nil means an LED without a pin, whose
	// states are only logged.
	LED *LED
	// Relay, if set, closes at each fire's instant (AgentConfig.RelayPin).
	Relay *Relay
	// Dialer opens links to the server; nil means a WebsocketDialer that
	// trusts AgentConfig.CA, if set. A Dialer given here is used as is.
	Dialer Dialer
	// Clock dates presses and clock-sync stamps and measures press ages;
	// nil means SystemClock. Timers (reconnects, sync) use real time.
	Clock Clock
	// Log receives the agent's lines; nil means slog.Default().
	Log *slog.Logger
	// OnResult, if set, is told how each press ended: answered by the
	// server, or dropped. It is called from the agent's goroutine and must
	// not block.
	OnResult func(PressResult)
	// Rediscover, if set, browses the LAN for the primary while none of
	// the servers the agent knows answers (agent_rediscover.go): set it,
	// to dnssd.FindPrimary, for an agent whose AgentConfig.Server was
	// "auto".
	Rediscover BrowseFunc
}

// PressResult is how one press ended.
type PressResult struct {
	// PressID is the press's unique id, as sent to the server.
	PressID string
	// At is when the press began on the line (Event.At).
	At time.Time
	// PressedAt is the press time sent, in server Unix ms; 0 if the agent
	// had no clock estimate yet and let the server date it.
	PressedAt int64
	// Outcome is "counted" or "fired" when the server accepted the press.
	Outcome string
	// Code is the error code when the server refused it: "not_armed" or
	// "duplicate", or another code of protocol.Error.
	Code string
	// Message is the server's message with Code.
	Message string
	// Dropped is true when the press was never acknowledged and grew
	// older than MaxAge: it was not sent again.
	Dropped bool
	// Sends is how many times the press was sent: more than one after a
	// reconnect.
	Sends int
	// RTT is the time from the last send to the answer.
	RTT time.Duration
}

// Agent is the button's side of the protocol in docs/protocol.md. It
// connects to the server as a button client, keeps its clock in sync,
// sends each press with a unique id and its time in server time, resends
// a press not yet acknowledged after a reconnect while it is younger than
// MaxAge, logs every answer, and sets the LED from the server's state:
// off when idle, slow blink when armed, solid once this button's press is
// counted, the celebration at the fire, fast blink when the server is out
// of reach. With a primary–standby pair (AgentConfig.Standby, or the
// servers a welcome or a servers message lists) it follows the primary of
// the highest epoch (agent_follow.go), and tells the standby every second
// how long it has not heard the primary: the witness of an automatic
// takeover (agent_witness.go).
type Agent struct {
	cfg      AgentConfig
	led      *LED
	relay    *Relay // nil: none
	dialer   Dialer
	clock    Clock
	log      *slog.Logger
	onResult func(PressResult)
	// rediscover is AgentOptions.Rediscover.
	rediscover BrowseFunc
	// probeClient asks the pair's servers who they are (GET
	// /api/v1/pair), trusting AgentConfig.CA like the dialer.
	probeClient *http.Client

	// base anchors the agent's local timeline: local stamps are base plus
	// the monotonic time since, so a step of the wall clock (NTP after
	// boot) never moves a press.
	base   time.Time
	baseMs float64
	est    *clocksync.Estimator
	// session makes press ids unique across restarts of the agent.
	session string
	rng     *rand.Rand
}

// NewAgent returns an agent for cfg, which must be normalized and valid
// (cmd/phatdong-button loads such a config).
func NewAgent(cfg AgentConfig, opts AgentOptions) (*Agent, error) {
	cfg, err := cfg.Normalize()
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Auto() {
		return nil, fmt.Errorf("button: server is %s: resolve it with AgentConfig.Discover first", ServerAuto)
	}
	a := &Agent{
		cfg: cfg, led: opts.LED, relay: opts.Relay, dialer: opts.Dialer, clock: opts.Clock, log: opts.Log,
		onResult: opts.OnResult, rediscover: opts.Rediscover, est: clocksync.NewEstimator(clocksync.DefaultWindow),
		rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	}
	if a.clock == nil {
		a.clock = SystemClock{}
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.led == nil {
		a.led = NewLED(nil, LEDConfig{Clock: a.clock, Logger: a.log})
	}
	var roots *x509.CertPool
	if cfg.CA != "" {
		pool, cas, err := ReadCAFile(cfg.CA)
		if err != nil {
			return nil, err
		}
		roots = pool
		for _, c := range cas {
			a.log.Info("button: the server's certificate must come from this CA", "ca", cfg.CA, "name", c.Subject.CommonName, "sha256", Fingerprint(c))
		}
	}
	if a.dialer == nil {
		a.dialer = WebsocketDialer{RootCAs: roots}
	}
	a.probeClient = probeClient(roots)
	a.base = a.clock.Now()
	a.baseMs = clocksync.Stamp(a.base)
	a.session = fmt.Sprintf("%04x", a.rng.Uint32()&0xffff)
	return a, nil
}

// Config returns the agent's configuration.
func (a *Agent) Config() AgentConfig { return a.cfg }

// LED returns the agent's LED.
func (a *Agent) LED() *LED { return a.led }

// Run talks to the server until ctx is done, taking presses from events
// (which Input.Run fills), and returns ctx.Err(). It never gives up on the
// server: it reconnects with jittered backoff. It does not run the LED:
// Serve does. Run one Run per Agent at a time.
func (a *Agent) Run(ctx context.Context, events <-chan Event) error {
	l := newLoop(a)
	return l.run(ctx, events)
}

// Serve runs the whole agent until ctx is done: in reads the button, the
// LED renders its pattern, and Run talks to the server. It returns
// ctx.Err(), or the first error that stops a part, e.g. a pin that cannot
// be configured.
func (a *Agent) Serve(ctx context.Context, in *Input) error {
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	events := make(chan Event, 16)
	errc := make(chan error, 3)
	go func() { errc <- in.Run(inner, events) }()
	go func() { errc <- a.led.Run(inner) }()
	go func() { errc <- a.Run(inner, events) }()
	first := <-errc
	cancel()
	<-errc
	<-errc
	if err := ctx.Err(); err != nil {
		return err
	}
	return first
}

// local converts t to the agent's local timeline in Unix ms.
func (a *Agent) local(t time.Time) float64 {
	return a.baseMs + float64(t.Sub(a.base))/float64(time.Millisecond)
}

// serverMs converts t to server time in Unix ms, or 0 when the agent has
// no clock estimate yet.
func (a *Agent) serverMs(t time.Time) int64 {
	if a.est.Count() == 0 {
		return 0
	}
	return int64(a.est.ServerTime(a.local(t)) + 0.5)
}
