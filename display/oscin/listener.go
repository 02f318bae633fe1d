// Package oscin takes show commands over OSC (UDP) from a control surface
// such as Bitfocus Companion, QLab or a lighting desk. OSC has no
// authentication: only senders on an allow-list are obeyed, and the launch
// can never be armed or fired this way.
package oscin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/osc"
)

// Executor runs a command as HTTP commands are run (the engine's Execute).
type Executor func(cmd controller.Command, actor controller.Actor) error

// Outcomes of a packet, the label of the messages counter.
const (
	OutcomeAccepted = "accepted"       // the engine took the command
	OutcomeRelease  = "release"        // a button's release, ignored
	OutcomeSender   = "refused-sender" // the sender is not on the allow-list
	OutcomeBad      = "bad"            // not an OSC message phatdong knows
	OutcomeRejected = "rejected"       // the engine refused the command
)

// Config is what a Listener needs.
type Config struct {
	// Addr is the UDP address to listen on, e.g. ":8000".
	Addr  string
	Allow AllowList
	Exec  Executor
	Log   *slog.Logger
	// Registry gets the messages counter; nil registers nothing.
	Registry prometheus.Registerer
}

// Listener reads OSC packets from one UDP socket.
type Listener struct {
	conn   *net.UDPConn
	allow  AllowList
	exec   Executor
	log    *slog.Logger
	counts *prometheus.CounterVec
	// refusedAt is when each refused sender was last logged: a flood of
	// packets is counted in full but logged once a minute per sender.
	refusedAt map[netip.Addr]time.Time

	mu     sync.Mutex
	closed bool
	served chan struct{} // closed when Serve returns; nil before it runs
}

// Refused senders are logged at most once per refusedLogEvery each; the
// map of them is emptied when it reaches maxRefused.
const (
	refusedLogEvery = time.Minute
	maxRefused      = 256
)

// Listen opens the UDP socket. Serve reads from it.
func Listen(cfg Config) (*Listener, error) {
	if cfg.Exec == nil {
		return nil, errors.New("oscin: a listener needs an executor")
	}
	addr, err := net.ResolveUDPAddr("udp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("oscin: address %q: %w", cfg.Addr, err)
	}
	l := &Listener{allow: cfg.Allow, exec: cfg.Exec, log: cfg.Log, refusedAt: map[netip.Addr]time.Time{}}
	if l.log == nil {
		l.log = slog.Default()
	}
	l.counts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phatdong_osc_messages_total",
		Help: "OSC packets received, by outcome: accepted, release, refused-sender, bad, rejected.",
	}, []string{"outcome"})
	for _, o := range []string{OutcomeAccepted, OutcomeRelease, OutcomeSender, OutcomeBad, OutcomeRejected} {
		l.counts.WithLabelValues(o)
	}
	if cfg.Registry != nil {
		if err := cfg.Registry.Register(l.counts); err != nil {
			return nil, fmt.Errorf("oscin: register metrics: %w", err)
		}
	}
	if l.conn, err = net.ListenUDP("udp", addr); err != nil {
		return nil, fmt.Errorf("oscin: listen on %s: %w", cfg.Addr, err)
	}
	return l, nil
}

// Addr is the socket's address.
func (l *Listener) Addr() net.Addr { return l.conn.LocalAddr() }

// Counter is the messages counter, by outcome.
func (l *Listener) Counter() *prometheus.CounterVec { return l.counts }

// Serve reads packets until ctx ends or the listener is closed, and
// obeys those of allowed senders one at a time, in order.
func (l *Listener) Serve(ctx context.Context) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.served = make(chan struct{})
	defer close(l.served)
	l.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { _ = l.conn.Close() })
	defer stop()
	buf := make([]byte, osc.MaxPacket+1)
	for {
		n, from, err := l.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("oscin: read: %w", err)
		}
		l.handle(buf[:n], from)
	}
}

// Close closes the socket and waits for Serve to return, so no command
// is being run once it returns.
func (l *Listener) Close() error {
	l.mu.Lock()
	l.closed = true
	served := l.served
	l.mu.Unlock()
	err := l.conn.Close()
	if served != nil {
		<-served
	}
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// handle obeys one packet, or counts and logs why not.
func (l *Listener) handle(p []byte, from netip.AddrPort) {
	if !l.allow.Allows(from.Addr()) {
		l.count(OutcomeSender)
		l.logRefused(from)
		return
	}
	m, err := osc.Decode(p)
	if err != nil {
		l.count(OutcomeBad)
		l.log.Warn("osc: bad packet", "from", from.String(), "err", err)
		return
	}
	cmd, err := Command(m)
	if errors.Is(err, errRelease) {
		l.count(OutcomeRelease)
		return
	}
	if err != nil {
		l.count(OutcomeBad)
		l.log.Warn("osc: bad message", "from", from.String(), "err", err)
		return
	}
	actor := controller.Actor{Role: "api", Name: "osc", Addr: from.Addr().String()}
	if err := l.exec(cmd, actor); err != nil {
		l.count(OutcomeRejected)
		l.log.Warn("osc: command refused", "from", from.String(), "command", cmd.Type, "reason", controller.ErrorMessage(err))
		return
	}
	l.count(OutcomeAccepted)
	l.log.Info("osc: command", "from", from.String(), "command", cmd.Type)
}

// logRefused logs a refused sender, once per refusedLogEvery. Only
// Serve's goroutine calls it.
func (l *Listener) logRefused(from netip.AddrPort) {
	now := time.Now()
	if last, ok := l.refusedAt[from.Addr()]; ok && now.Sub(last) < refusedLogEvery {
		return
	}
	if len(l.refusedAt) >= maxRefused {
		clear(l.refusedAt)
	}
	l.refusedAt[from.Addr()] = now
	l.log.Warn("osc: refused a sender not on --osc-allow (logged once a minute per sender; all are counted)", "from", from.String())
}

func (l *Listener) count(outcome string) { l.counts.WithLabelValues(outcome).Inc() }
