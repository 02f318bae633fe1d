package button

import (
	"context"
	"errors"
	"fmt"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// minWait is the shortest wait handed to WaitForEdge. Drivers disagree on
// what zero and negative timeouts mean (forever or not at all), so Run only
// ever passes a finite positive one.
const minWait = 100 * time.Microsecond

// Input reads a push button wired between a GPIO line and ground, with the
// line's internal pull-up: the line is active low. Run turns the line's
// edges into Events:
//
//   - a press counts once the line has stayed active for Config.Filter,
//     dated at the first falling edge of its burst of activity;
//   - no other press counts during Config.Lockout after it, and a new press
//     needs the line inactive for Filter first, so a bouncing or
//     chattering contact is one press;
//   - a line active for Config.StuckAfter is one Fault, cleared once it is
//     inactive for Filter;
//   - a line already active when Run starts (a held button, a shorted
//     cable) is not a press.
type Input struct {
	pin gpio.PinIn
	cfg Config
}

// NewInput returns an Input reading pin with cfg, whose zero fields take
// their defaults. It does not touch the pin: Run configures it.
func NewInput(pin gpio.PinIn, cfg Config) (*Input, error) {
	if pin == nil {
		return nil, errors.New("button: no input pin")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Input{pin: pin, cfg: cfg.withDefaults()}, nil
}

// Config returns the configuration in use, defaults filled in.
func (in *Input) Config() Config { return in.cfg }

// Run configures the pin as an input with pull-up and edge detection on
// both edges, then sends an Event on events for every counted press, fault
// and cleared fault until ctx is done. It blocks while events is full.
//
// Run returns ctx.Err() once ctx is done, seen within Config.Poll, or a
// wrapped error if the pin cannot be configured. Run must not be called
// concurrently on the same Input or pin.
func (in *Input) Run(ctx context.Context, events chan<- Event) error {
	if events == nil {
		return errors.New("button: Run needs an events channel")
	}
	if err := in.pin.In(gpio.PullUp, gpio.BothEdges); err != nil {
		return fmt.Errorf("button: pin %s: configure as input with pull-up and edges: %w", in.pin.Name(), err)
	}
	clock := in.cfg.Clock
	d := detector{cfg: in.cfg}
	now := clock.Now()
	d.begin(now, in.pin.Read())
	var found []Event
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		edge := in.pin.WaitForEdge(in.wait(&d, now))
		now = clock.Now()
		found = d.observe(now, in.pin.Read(), edge, found[:0])
		for _, ev := range found {
			select {
			case events <- ev:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// wait returns how long to wait for an edge at now: until the detector's
// next deadline, at most Poll, and never zero or negative.
func (in *Input) wait(d *detector, now time.Time) time.Duration {
	w := in.cfg.Poll
	if dl := d.deadline(); !dl.IsZero() && dl.Sub(now) < w {
		w = dl.Sub(now)
	}
	return max(w, minWait)
}
