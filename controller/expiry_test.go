package controller_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// signal is a publisher that hands every snapshot to a channel without
// blocking the engine.
type signal chan controller.Snapshot

func (s signal) Publish(snap controller.Snapshot) {
	select {
	case s <- snap:
	default:
	}
}

// waitCurrent waits for a published snapshot whose current segment is want.
func (s signal) waitCurrent(t *testing.T, want int) controller.Snapshot {
	t.Helper()
	giveUp := time.After(5 * time.Second)
	for {
		select {
		case snap := <-s:
			if snap.State.Current == want {
				return snap
			}
		case <-giveUp:
			t.Fatalf("segment %d was never published", want)
		}
	}
}

// runLoop starts the expiry loop and stops it when the test ends.
func runLoop(t *testing.T, e *controller.Engine) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	})
}

// TestRunExpiresOnTheInjectedClock: the loop's timer runs on the engine's
// clock, so a fake clock drives it without sleeping.
func TestRunExpiresOnTheInjectedClock(t *testing.T) {
	tests := []struct {
		name   string
		extra  []controller.Command // sent after the start
		zeroAt time.Duration        // when the video reaches zero
	}{
		{"at its planned zero", nil, 30 * time.Second},
		{"at the zero moved by added time", []controller.Command{{Type: controller.CmdAddTime, Seconds: 10}}, 40 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			e := openEngine(t, newMemStore(), clock)
			published := make(signal, 64)
			e.Subscribe(published)
			runLoop(t, e)
			start := clock.Now()
			for _, c := range append([]controller.Command{{Type: controller.CmdGoto, Segment: "video"}, cmd(controller.CmdStart)}, tt.extra...) {
				if _, err := e.Execute(c, operator); err != nil {
					t.Fatal(err)
				}
			}
			clock.waitTimer(t, start.Add(tt.zeroAt))
			clock.Advance(tt.zeroAt - time.Second)
			if got := e.Snapshot().State.Current; got != 2 {
				t.Fatalf("a second before zero: current %d, want 2 (the video)", got)
			}
			clock.Advance(time.Second)
			snap := published.waitCurrent(t, 3)
			if want := start.Add(tt.zeroAt).UnixMilli(); snap.State.Timer.StartedAt != want {
				t.Errorf("the launch segment started at %d, want the video's zero %d", snap.State.Timer.StartedAt, want)
			}
		})
	}
}
