package button

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// levelChange is one write to a recorded pin, on the fake clock.
type levelChange struct {
	level gpio.Level
	at    time.Time
}

// recordedPin is periph's fake pin that also reports every write.
type recordedPin struct {
	*gpiotest.Pin
	clock   clockwork.Clock
	changes chan levelChange
}

func (p *recordedPin) Out(l gpio.Level) error {
	if err := p.Pin.Out(l); err != nil {
		return err
	}
	p.changes <- levelChange{l, p.clock.Now()}
	return nil
}

func newRelayFixture(t *testing.T, activeLow bool) (*Relay, *recordedPin, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	pin := &recordedPin{Pin: &gpiotest.Pin{N: "GPIO22"}, clock: clock, changes: make(chan levelChange, 16)}
	r, err := NewRelay(pin, RelayConfig{Hold: 700 * time.Millisecond, ActiveLow: activeLow, Clock: clock,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r, pin, clock
}

func TestRelayClosesAtFireAtForHold(t *testing.T) {
	for _, activeLow := range []bool{false, true} {
		r, pin, clock := newRelayFixture(t, activeLow)
		on, off := gpio.Level(!activeLow), gpio.Level(activeLow)
		if c := <-pin.changes; c.level != off {
			t.Fatalf("activeLow %v: opened with %v, want %v", activeLow, c.level, off)
		}
		start := clock.Now()
		fireAt := start.Add(250 * time.Millisecond)
		r.Fire("fire-1", fireAt.Sub(clock.Now()))
		r.Fire("fire-1", fireAt.Sub(clock.Now())) // the same fire again: nothing
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(249 * time.Millisecond)
		if pin.Read() != off {
			t.Fatalf("activeLow %v: closed before fireAt", activeLow)
		}
		clock.Advance(time.Millisecond)
		if c := <-pin.changes; c.level != on || !c.at.Equal(fireAt) {
			t.Fatalf("activeLow %v: %v at %v, want %v at fireAt %v", activeLow, c.level, c.at.Sub(start), on, fireAt.Sub(start))
		}
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(699 * time.Millisecond)
		if pin.Read() != on {
			t.Fatalf("activeLow %v: opened before the hold ended", activeLow)
		}
		clock.Advance(time.Millisecond)
		if c := <-pin.changes; c.level != off || !c.at.Equal(fireAt.Add(700*time.Millisecond)) {
			t.Fatalf("activeLow %v: %v at %v, want %v after the hold", activeLow, c.level, c.at.Sub(start), off)
		}
		cancel()
		r.Close()
		if n := len(pin.changes); n != 0 {
			t.Fatalf("activeLow %v: %d more writes, want none (once per fire id)", activeLow, n)
		}
	}
}

func TestRelaySkipsALateFire(t *testing.T) {
	r, pin, clock := newRelayFixture(t, false)
	<-pin.changes
	r.Fire("late", -relayLate-time.Millisecond)
	r.Fire("just-late", -relayLate) // still closes, at once
	if c := <-pin.changes; c.level != gpio.High || !c.at.Equal(clock.Now()) {
		t.Fatalf("%+v, want closed now", c)
	}
	r.Close() // a stop mid-pulse leaves the contact open
	if c := <-pin.changes; c.level != gpio.Low {
		t.Fatalf("after Close: %v, want open", c.level)
	}
}

func TestRelayConfig(t *testing.T) {
	pin := &gpiotest.Pin{N: "GPIO22"}
	for _, hold := range []time.Duration{time.Millisecond, 11 * time.Second} {
		if _, err := NewRelay(pin, RelayConfig{Hold: hold}); err == nil {
			t.Errorf("hold %s taken", hold)
		}
	}
	if _, err := NewRelay(nil, RelayConfig{}); err == nil {
		t.Error("no pin taken")
	}
}
