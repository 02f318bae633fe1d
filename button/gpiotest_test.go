// These tests run Input on periph's own fake, gpiotest.Pin.

package button

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// stepClock is the clock of both gpiotest.Pin and Input. Each After call,
// made by gpiotest.Pin.WaitForEdge, is handed to the test driver, which
// either fires it or injects an edge: time moves only while Input waits.
type stepClock struct {
	clockwork.Clock // nil: gpiotest only calls After
	fake            *fakeClock
	waits           chan waitReq
}

// waitReq is one WaitForEdge in progress.
type waitReq struct {
	deadline time.Time
	fire     chan time.Time
}

func (c *stepClock) Now() time.Time { return c.fake.Now() }

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	w := waitReq{c.fake.Now().Add(d), make(chan time.Time, 1)}
	c.waits <- w
	return w.fire
}

// replayGpiotest runs an Input on a gpiotest.Pin through steps until end.
func replayGpiotest(tb testing.TB, steps []step, end time.Duration) []Event {
	tb.Helper()
	clock := &stepClock{fake: newFakeClock(), waits: make(chan waitReq)}
	pin := &gpiotest.Pin{N: "GPIO17", Clock: clock, EdgesChan: make(chan gpio.Level, 16)}
	in, err := NewInput(pin, Config{Clock: clock})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan Event, 16)
	got := collect(events)
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx, events) }()

	// Input calls In() before its first wait, so no edge is lost to its
	// draining of EdgesChan.
	for _, s := range steps {
		at := t0.Add(s.at)
		for {
			w := <-clock.waits
			if w.deadline.Before(at) {
				clock.fake.set(w.deadline)
				w.fire <- w.deadline
				continue
			}
			clock.fake.set(at)
			pin.EdgesChan <- s.level
			break
		}
	}
	for {
		select {
		case w := <-clock.waits:
			if !w.deadline.Before(t0.Add(end)) {
				cancel()
			}
			clock.fake.set(w.deadline)
			w.fire <- w.deadline
		case err := <-done:
			close(events)
			if err != context.Canceled {
				tb.Errorf("Run = %v, want context.Canceled", err)
			}
			return <-got
		}
	}
}

func TestGpiotestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			if sc.low {
				t.Skip("gpiotest.Pin.In sets the pull-up level: a line low at start cannot be faked")
			}
			check(t, replayGpiotest(t, sc.steps, sc.end), sc.want)
		})
	}
}

func TestGpiotestRandomPresses(t *testing.T) {
	const n = 1000
	rng := rand.New(rand.NewPCG(2025, 326))
	steps, _ := timeline(rng, n, DefaultFilter, DefaultLockout)
	want := replay(t, Config{}, gpio.High, steps, steps[len(steps)-1].at+time.Second)
	got := replayGpiotest(t, steps, steps[len(steps)-1].at+time.Second)
	if len(got) != n || len(want) != n {
		t.Fatalf("%d events on gpiotest, %d on the scripted pin, for %d presses", len(got), len(want), n)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("event %d: %s on gpiotest, %s on the scripted pin", i, got[i], want[i])
		}
	}
}

// BenchmarkGpiotestPress is BenchmarkInputPressClean on gpiotest.Pin, where
// every edge and timeout is a hand-off between two goroutines.
func BenchmarkGpiotestPress(b *testing.B) {
	var steps []step
	t := 100 * ms
	for range b.N {
		steps = append(steps, press(t, 100*ms)...)
		t += 400 * ms
	}
	b.ResetTimer()
	if got := replayGpiotest(b, steps, t); len(got) != b.N {
		b.Fatalf("%d events for %d presses", len(got), b.N)
	}
}
