// Package cues sends a show's launch cues (controller.Cue: OSC messages
// and HTTP requests) at the fire's instant plus each cue's delay, on the
// server's clock, once per fire: the fire ids whose cues were scheduled
// are remembered in a file, so neither a later state nor a restart sends
// them again. Only the primary sends.
package cues

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// StaleAfter is how long after its instant a fire this server never
// scheduled (it was down, or not the primary) is let go unsent.
const StaleAfter = 5 * time.Second

// Outcomes of a fire, the label of the fires counter.
const (
	FireScheduled = "scheduled" // its cues were scheduled
	FireDuplicate = "duplicate" // already scheduled, by this run or before a restart
	FireStale     = "stale"     // found long after its instant (a restart)
	FireNotOurs   = "not-primary"
)

// Outcomes of a cue, the label of the cues counter.
const (
	CueSent    = "sent"
	CueFailed  = "failed"
	CueSkipped = "skipped" // skipRehearsal in a rehearsal
)

// Config is what a Sender needs.
type Config struct {
	// Clock is the server's clock (the engine's); nil is the real one.
	Clock clockwork.Clock
	// Primary says whether this server is the primary; nil: always.
	Primary func() bool
	// SentFile remembers the fire ids already sent; "" remembers them
	// in memory only.
	SentFile string
	// HTTP sends the HTTP cues; nil is a client with Timeout.
	HTTP     *http.Client
	Log      *slog.Logger
	Registry prometheus.Registerer
	// Changed is called, on the sender's goroutines, when a fire's cue
	// outcomes change (Outcomes); nil: nobody is told.
	Changed func()
}

// Sender schedules and sends cues. Subscribe it to the engine.
type Sender struct {
	clock   clockwork.Clock
	primary func() bool
	client  *http.Client
	log     *slog.Logger
	changed func()
	fires   *prometheus.CounterVec
	cues    *prometheus.CounterVec

	mu      sync.Mutex
	sent    *sentSet
	record  outcomes
	pending []controller.Snapshot
	wake    chan struct{}

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start reads the sent file and starts the sender's goroutine.
func Start(cfg Config) (*Sender, error) {
	sent, err := loadSent(cfg.SentFile)
	if err != nil {
		return nil, err
	}
	s := &Sender{clock: cfg.Clock, primary: cfg.Primary, client: cfg.HTTP, log: cfg.Log, changed: cfg.Changed,
		sent: sent, wake: make(chan struct{}, 1)}
	if s.clock == nil {
		s.clock = clockwork.NewRealClock()
	}
	if s.primary == nil {
		s.primary = func() bool { return true }
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: Timeout}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.changed == nil {
		s.changed = func() {}
	}
	s.fires = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phatdong_cue_fires_total",
		Help: "Fires seen by the cue sender, by outcome: scheduled, duplicate, stale, not-primary.",
	}, []string{"outcome"})
	s.cues = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "phatdong_cues_total",
		Help: "Launch cues, by kind (osc, http) and outcome: sent, failed, skipped.",
	}, []string{"kind", "outcome"})
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{s.fires, s.cues} {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, errors.Join(errors.New("cues: register metrics"), err)
			}
		}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(1)
	go s.run()
	return s, nil
}

// Publish takes a committed snapshot (controller.Publisher). It never
// blocks: a fired launch is handed to the sender's goroutine.
func (s *Sender) Publish(snap controller.Snapshot) {
	l := snap.State.Launch
	if l.Phase != controller.LaunchFired || l.FireID == "" {
		return
	}
	s.mu.Lock()
	s.pending = append(s.pending, snap)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Close stops the sender; cues not yet due are not sent.
func (s *Sender) Close() {
	s.cancel()
	s.wg.Wait()
}

// Outcomes is how the cues of a fire went (pending until their instant),
// in the show's order; nil for a fire this sender did not schedule (it
// was not the primary, the fire is stale or was scheduled before a
// restart) or one of the older fires it no longer keeps.
func (s *Sender) Outcomes(fireID string) []protocol.CueOutcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.record.get(fireID)
}

// Fires is the fires counter, by outcome.
func (s *Sender) Fires() *prometheus.CounterVec { return s.fires }

// Cues is the cues counter, by kind and outcome.
func (s *Sender) Cues() *prometheus.CounterVec { return s.cues }

func (s *Sender) run() {
	defer s.wg.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		snaps := s.pending
		s.pending = nil
		s.mu.Unlock()
		for _, snap := range snaps {
			s.fire(snap)
		}
	}
}

// fire schedules the cues of one fired snapshot, unless its fire id was
// scheduled before.
func (s *Sender) fire(snap controller.Snapshot) {
	l := snap.State.Launch
	if s.sent.has(l.FireID) {
		s.fires.WithLabelValues(FireDuplicate).Inc()
		return
	}
	log := s.log.With("fireId", l.FireID)
	fireAt := time.UnixMilli(l.FireAt)
	outcome := FireScheduled
	switch {
	case !s.primary():
		outcome = FireNotOurs
	case s.clock.Now().Sub(fireAt) > StaleAfter:
		outcome = FireStale
	}
	// Remembered before anything is sent: at most once, even across a
	// crash in the middle.
	if err := s.sent.add(l.FireID); err != nil {
		log.Error("cues: not sent: the fire id cannot be remembered", "err", err)
		return
	}
	s.fires.WithLabelValues(outcome).Inc()
	if outcome != FireScheduled {
		log.Info("cues: not sent", "reason", outcome)
		return
	}
	cues := snap.Show.Launch.Cues
	if len(cues) > 0 {
		s.mu.Lock()
		s.record.start(l.FireID, fireAt, cues, snap.State.Rehearsal)
		s.mu.Unlock()
		s.changed()
	}
	for i, c := range cues {
		if snap.State.Rehearsal && c.SkipRehearsal {
			s.cues.WithLabelValues(string(c.Kind), CueSkipped).Inc()
			log.Info("cues: skipped in a rehearsal", "cue", i, "kind", c.Kind, "target", c.Target)
			continue
		}
		at := fireAt.Add(time.Duration(c.DelayMs) * time.Millisecond)
		s.wg.Add(1)
		go s.sendAt(l.FireID, i, c, at, log)
	}
}

// sendAt prepares a cue, waits for its instant on the server's clock and
// sends it; the outcome is logged, counted and recorded.
func (s *Sender) sendAt(fireID string, i int, c controller.Cue, at time.Time, log *slog.Logger) {
	defer s.wg.Done()
	log = log.With("cue", i, "kind", c.Kind, "target", c.Target)
	p, err := prepare(s.ctx, c)
	if err != nil {
		s.cues.WithLabelValues(string(c.Kind), CueFailed).Inc()
		log.Warn("cues: failed", "err", err)
		s.finish(fireID, i, 0, err)
		return
	}
	select {
	case <-s.ctx.Done():
		p.close()
		return
	case <-s.clock.After(at.Sub(s.clock.Now())):
	}
	late := s.clock.Now().Sub(at)
	err = p.send(s.ctx, s.client)
	if s.ctx.Err() != nil {
		return // closed while it was sent: no outcome to tell
	}
	if err != nil {
		s.cues.WithLabelValues(string(c.Kind), CueFailed).Inc()
		log.Warn("cues: failed", "err", err, "lateMs", late.Milliseconds())
	} else {
		s.cues.WithLabelValues(string(c.Kind), CueSent).Inc()
		log.Info("cues: sent", "lateMs", late.Milliseconds())
	}
	s.finish(fireID, i, late, err)
}

// finish records how cue i of a fire went and says so.
func (s *Sender) finish(fireID string, i int, late time.Duration, err error) {
	s.mu.Lock()
	s.record.finish(fireID, i, late, err)
	s.mu.Unlock()
	s.changed()
}
