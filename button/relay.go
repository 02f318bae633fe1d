package button

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/gpio"
)

// Bounds of a relay's pulse.
const (
	DefaultRelayHold = 500 * time.Millisecond
	MinRelayHold     = 50 * time.Millisecond
	MaxRelayHold     = 10 * time.Second
	// relayLate is how late a pulse may still start: a fire learned of
	// later than this (a reconnect) closes nothing, since a confetti
	// cannon seconds after the moment is worse than none.
	relayLate = 500 * time.Millisecond
)

// RelayConfig configures a Relay.
type RelayConfig struct {
	// Hold is how long the contact stays closed; 0 is DefaultRelayHold.
	Hold time.Duration
	// ActiveLow closes the contact with a low level (most relay boards).
	ActiveLow bool
	// Clock times the pulse; nil is the real clock.
	Clock clockwork.Clock
	Log   *slog.Logger
}

// Relay closes a dry contact on a GPIO output at the launch's instant,
// for Hold, once per fire id. It drives a relay board wired to a
// controller (confetti, pyrotechnics) that has its own arming: the Pi
// never powers anything itself.
type Relay struct {
	pin    gpio.PinOut
	cfg    RelayConfig
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	seen   map[string]bool
	pulses int // the latest pulse's number; an older one never opens it
}

// NewRelay returns a relay on pin, opened (its inactive level written).
func NewRelay(pin gpio.PinOut, cfg RelayConfig) (*Relay, error) {
	if pin == nil {
		return nil, errors.New("button: relay: no pin")
	}
	if cfg.Hold == 0 {
		cfg.Hold = DefaultRelayHold
	}
	if cfg.Hold < MinRelayHold || cfg.Hold > MaxRelayHold {
		return nil, fmt.Errorf("button: relay: hold %s is not between %s and %s", cfg.Hold, MinRelayHold, MaxRelayHold)
	}
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	r := &Relay{pin: pin, cfg: cfg, seen: map[string]bool{}}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	if err := r.write(false); err != nil {
		return nil, err
	}
	return r, nil
}

// level is the pin level of a closed (on) or open contact.
func (r *Relay) level(on bool) gpio.Level {
	return gpio.Level(on != r.cfg.ActiveLow)
}

func (r *Relay) write(on bool) error {
	if err := r.pin.Out(r.level(on)); err != nil {
		return fmt.Errorf("button: relay: pin %s: %w", r.pin.Name(), err)
	}
	return nil
}

// Fire closes the contact in `in` (the time to fireAt; negative when it
// is past) for Hold, unless fire id was already seen or fireAt is more
// than relayLate past. It never blocks.
func (r *Relay) Fire(id string, in time.Duration) {
	log := r.cfg.Log.With("fireId", id, "pin", r.pin.Name())
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[id] {
		log.Info("button: relay: fire already handled")
		return
	}
	r.seen[id] = true
	if in < -relayLate {
		log.Warn("button: relay: the fire is too far past; the contact stays open", "late", -in)
		return
	}
	r.pulses++
	n := r.pulses
	r.wg.Add(1)
	go r.pulse(n, min(max(in, 0), maxLead), log)
}

// pulse closes the contact after wait, then opens it after Hold unless a
// later pulse has closed it since.
func (r *Relay) pulse(n int, wait time.Duration, log *slog.Logger) {
	defer r.wg.Done()
	select {
	case <-r.ctx.Done():
		return
	case <-r.cfg.Clock.After(wait):
	}
	if err := r.write(true); err != nil {
		log.Error("button: relay: cannot close", "err", err)
		return
	}
	log.Info("button: relay closed", "hold", r.cfg.Hold)
	select {
	case <-r.ctx.Done():
	case <-r.cfg.Clock.After(r.cfg.Hold):
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pulses != n && r.ctx.Err() == nil {
		return // a later pulse holds it
	}
	if err := r.write(false); err != nil {
		log.Error("button: relay: cannot open", "err", err)
		return
	}
	log.Info("button: relay open")
}

// Close stops any pulse and leaves the contact open.
func (r *Relay) Close() {
	r.cancel()
	r.wg.Wait()
}
