package button

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

func TestNewInputRejectsNilPin(t *testing.T) {
	if _, err := NewInput(nil, Config{}); err == nil || !strings.HasPrefix(err.Error(), "button: ") {
		t.Errorf("NewInput(nil) = %v, want a button: error", err)
	}
}

func TestRunWrapsPinErrors(t *testing.T) {
	broken := errors.New("line busy")
	pin := &scriptPin{tb: t, clock: newFakeClock(), poll: DefaultPoll, inErr: broken}
	in, err := NewInput(pin, Config{Clock: pin.clock})
	if err != nil {
		t.Fatal(err)
	}
	err = in.Run(context.Background(), make(chan Event))
	if !errors.Is(err, broken) || !strings.HasPrefix(err.Error(), "button: pin GPIO17: ") {
		t.Errorf("Run = %v, want a wrapped %q prefixed with the pin", err, broken)
	}
	if err := in.Run(context.Background(), nil); err == nil {
		t.Error("Run with a nil channel succeeded")
	}
}

// TestRunSeesCancelWithinPoll cancels on a quiet line and during a press,
// at fake times, and checks that Run returns within one Poll of fake time.
func TestRunSeesCancelWithinPoll(t *testing.T) {
	for _, at := range []time.Duration{time.Second, 102 * ms} {
		clock := newFakeClock()
		ctx, cancel := context.WithCancel(context.Background())
		pin := &scriptPin{tb: t, clock: clock, steps: press(100*ms, time.Hour), level: gpio.High,
			end: time.Hour, cancel: func() {}, poll: DefaultPoll}
		in, err := NewInput(&cancelAt{scriptPin: pin, at: t0.Add(at), cancel: cancel}, Config{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		events := make(chan Event, 4)
		if err := in.Run(ctx, events); err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		if late := clock.Now().Sub(t0.Add(at)); late > DefaultPoll {
			t.Errorf("cancelled at %s: Run returned %s later, want at most %s", at, late, DefaultPoll)
		}
	}
}

// cancelAt cancels a context once its clock reaches at.
type cancelAt struct {
	*scriptPin
	at     time.Time
	cancel context.CancelFunc
}

func (p *cancelAt) WaitForEdge(timeout time.Duration) bool {
	edge := p.scriptPin.WaitForEdge(timeout)
	if !p.clock.Now().Before(p.at) {
		p.cancel()
	}
	return edge
}

// realPin waits for real, as a driver does, and never sees an edge.
type realPin struct{ scriptPin }

func (p *realPin) WaitForEdge(timeout time.Duration) bool {
	<-time.After(timeout)
	return false
}

func TestRunReturnsPromptlyInRealTime(t *testing.T) {
	in, err := NewInput(&realPin{scriptPin{tb: t, level: gpio.High}}, Config{Poll: 10 * ms})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx, make(chan Event)) }()
	cancel()
	begin := time.Now()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		t.Logf("returned %s after cancel", time.Since(begin))
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of cancel")
	}
}

func TestRunDoesNotHangOnUnreadEvents(t *testing.T) {
	clock := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The pin cancels as the press is confirmed; nobody reads the
	// unbuffered channel Run must send it on.
	pin := &scriptPin{tb: t, clock: clock, steps: press(100*ms, 50*ms), level: gpio.High,
		end: 0, cancel: func() {}, poll: DefaultPoll}
	in, err := NewInput(&cancelAt{scriptPin: pin, at: t0.Add(105 * ms), cancel: cancel}, Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Run(ctx, make(chan Event)); err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}
