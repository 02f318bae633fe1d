package button

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// outPin is a gpio.PinOut that records every write. It has no Read: the
// LED cannot read its pin back. Only the methods LED uses are implemented.
type outPin struct {
	gpio.PinOut
	mu   sync.Mutex
	outs []gpio.Level
	sent chan gpio.Level // if set, every write is also sent here
	err  error
}

func (p *outPin) Name() string { return "GPIO27" }

func (p *outPin) Out(l gpio.Level) error {
	if p.err != nil {
		return p.err
	}
	p.mu.Lock()
	p.outs = append(p.outs, l)
	p.mu.Unlock()
	if p.sent != nil {
		p.sent <- l
	}
	return nil
}

func (p *outPin) written() []gpio.Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]gpio.Level(nil), p.outs...)
}

// newTestLED returns an LED on pin with a fake clock, logging into a buffer.
func newTestLED(pin gpio.PinOut) (*LED, *fakeClock, *bytes.Buffer) {
	clock := newFakeClock()
	var logs bytes.Buffer
	l := NewLED(pin, LEDConfig{Clock: clock, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	return l, clock, &logs
}

func TestLEDRendersOnlyChanges(t *testing.T) {
	pin := &outPin{}
	l, clock, logs := newTestLED(pin)
	steps := []struct {
		at  time.Duration
		set LEDState // set before rendering, unless it is 255
	}{
		{0, 255},                 // Off: first write
		{10 * ms, 255},           // unchanged: no write
		{time.Second, SlowBlink}, // lit at once
		{time.Second + 499*ms, 255},
		{time.Second + 500*ms, 255},       // dark
		{time.Second + 600*ms, SlowBlink}, // same state: keeps its phase, no write
		{2 * time.Second, 255},            // lit again
		{2*time.Second + 100*ms, Solid},   // already lit: no write
		{3 * time.Second, Off},
	}
	for _, s := range steps {
		clock.set(t0.Add(s.at))
		if s.set != 255 {
			l.Set(s.set)
		}
		if err := l.render(); err != nil {
			t.Fatal(err)
		}
	}
	want := []gpio.Level{gpio.Low, gpio.High, gpio.Low, gpio.High, gpio.Low}
	if got := pin.written(); !equalLevels(got, want) {
		t.Errorf("writes %v, want %v", got, want)
	}
	if l.State() != Off {
		t.Errorf("State() = %s, want off", l.State())
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "from=off to=\"slow blink\"") ||
		!strings.Contains(lines[0], "pin=GPIO27") {
		t.Errorf("want one log line per change, got:\n%s", logs)
	}
}

func equalLevels(a, b []gpio.Level) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLEDRun(t *testing.T) {
	pin := &outPin{sent: make(chan gpio.Level)}
	l, clock, _ := newTestLED(pin)
	ticks := make(chan time.Time)
	l.ticks = func() (<-chan time.Time, func()) { return ticks, func() {} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()

	expect := func(want gpio.Level, why string) {
		t.Helper()
		if got := <-pin.sent; got != want {
			t.Fatalf("%s: wrote %s, want %s", why, got, want)
		}
	}
	expect(gpio.Low, "start")
	l.Set(FastBlink)
	expect(gpio.High, "Set wakes the renderer")
	clock.set(t0.Add(100 * ms))
	ticks <- clock.Now()
	expect(gpio.Low, "tick at 100 ms")
	clock.set(t0.Add(200 * ms))
	ticks <- clock.Now()
	expect(gpio.High, "tick at 200 ms")
	cancel()
	expect(gpio.Low, "switched off on exit")
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestLEDWithoutPin(t *testing.T) {
	l, _, logs := newTestLED(nil)
	l.Set(Celebrate)
	if !strings.Contains(logs.String(), "pin=none") || !strings.Contains(logs.String(), "to=celebrate") {
		t.Errorf("log = %q, want the change logged for pin none", logs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Run(ctx); err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

func TestLEDRunReportsWriteErrors(t *testing.T) {
	broken := errors.New("line gone")
	l, _, _ := newTestLED(&outPin{err: broken})
	err := l.Run(context.Background())
	if !errors.Is(err, broken) || !strings.HasPrefix(err.Error(), "button: led GPIO27: ") {
		t.Errorf("Run = %v, want a wrapped %q", err, broken)
	}
}

func TestLEDSetFromManyGoroutines(t *testing.T) {
	l, _, _ := newTestLED(&outPin{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				l.Set(LEDState((i + j) % 5))
				_ = l.State()
			}
		})
	}
	wg.Wait()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}
