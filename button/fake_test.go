package button

import (
	"context"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// t0 is the fake time at which every scripted test starts.
var t0 = time.Date(2025, 3, 26, 8, 0, 0, 0, time.UTC)

const ms = time.Millisecond

// fakeClock is a Clock that only moves when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}

// step is a level change on the line at a fake time, as an offset from t0.
type step struct {
	at    time.Duration
	level gpio.Level
}

// scriptPin is a gpio.PinIn that replays a timeline against a fakeClock.
// WaitForEdge moves the clock to the next step or to the timeout, whichever
// comes first, without waiting; once the clock reaches end, the pin cancels
// the run. Only the methods Input uses are implemented.
type scriptPin struct {
	gpio.PinIn
	tb     testing.TB
	clock  *fakeClock
	steps  []step
	next   int
	level  gpio.Level
	end    time.Duration
	cancel context.CancelFunc
	poll   time.Duration // the largest timeout allowed
	waits  int
	inErr  error
}

func (p *scriptPin) Name() string { return "GPIO17" }

func (p *scriptPin) In(pull gpio.Pull, edge gpio.Edge) error {
	if pull != gpio.PullUp || edge != gpio.BothEdges {
		p.tb.Errorf("In(%s, %s), want In(PullUp, BothEdges)", pull, edge)
	}
	return p.inErr
}

func (p *scriptPin) Read() gpio.Level { return p.level }

func (p *scriptPin) WaitForEdge(timeout time.Duration) bool {
	p.waits++
	if timeout <= 0 || timeout > p.poll {
		p.tb.Errorf("WaitForEdge(%s): want a timeout in (0, %s]", timeout, p.poll)
	}
	deadline := p.clock.Now().Add(timeout)
	if p.next < len(p.steps) {
		if s := p.steps[p.next]; !t0.Add(s.at).After(deadline) {
			p.next++
			p.clock.set(t0.Add(s.at))
			p.level = s.level
			return true
		}
	}
	p.clock.set(deadline)
	if p.next == len(p.steps) && !deadline.Before(t0.Add(p.end)) {
		p.cancel()
	}
	return false
}

// replay runs an Input with cfg on steps, starting at level start, until
// the fake clock reaches end, and returns the events it sent.
func replay(tb testing.TB, cfg Config, start gpio.Level, steps []step, end time.Duration) []Event {
	tb.Helper()
	clock := newFakeClock()
	cfg.Clock = clock
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pin := &scriptPin{tb: tb, clock: clock, steps: steps, level: start, end: end, cancel: cancel}
	in, err := NewInput(pin, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	pin.poll = in.Config().Poll
	events := make(chan Event, 16)
	got := collect(events)
	err = in.Run(ctx, events)
	close(events)
	if err != context.Canceled {
		tb.Errorf("Run returned %v, want context.Canceled", err)
	}
	return <-got
}

// collect gathers the events sent on ch until it is closed.
func collect(ch <-chan Event) <-chan []Event {
	out := make(chan []Event, 1)
	go func() {
		var evs []Event
		for ev := range ch {
			evs = append(evs, ev)
		}
		out <- evs
	}()
	return out
}
