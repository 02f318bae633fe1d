package button

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

func TestSimPinQueuesEdges(t *testing.T) {
	p := NewSimPin("GPIO17")
	if err := p.In(gpio.PullUp, gpio.BothEdges); err != nil {
		t.Fatal(err)
	}
	if p.Read() != gpio.High {
		t.Fatal("a released pin reads low")
	}
	if p.WaitForEdge(time.Millisecond) {
		t.Fatal("an edge before any Set")
	}
	p.Set(gpio.Low)
	p.Set(gpio.Low) // not an edge
	p.Set(gpio.High)
	for i, want := range []gpio.Level{gpio.Low, gpio.High} {
		if !p.WaitForEdge(time.Second) {
			t.Fatalf("edge %d missing", i)
		}
		if got := p.Read(); got != want {
			t.Errorf("edge %d reads %s, want %s", i, got, want)
		}
	}
	if p.WaitForEdge(time.Millisecond) {
		t.Error("a third edge for two changes of level")
	}
}

func TestSimPinFeedLines(t *testing.T) {
	p := NewSimPin("GPIO17")
	var out strings.Builder
	if err := p.FeedLines(context.Background(), strings.NewReader("\n\n\n"), &out); err != nil {
		t.Fatal(err)
	}
	edges := 0
	for p.WaitForEdge(0) {
		edges++
	}
	if edges != 6 {
		t.Errorf("%d edges for 3 lines, want 6 (press and release each)", edges)
	}
	if strings.Count(out.String(), "simulated press") != 3 {
		t.Errorf("output %q: want one line per press", out.String())
	}
}

// The keyboard drives the same Input as a real pin: each line is one
// press, through the glitch filter and the lockout.
func TestSimPinThroughInput(t *testing.T) {
	p := NewSimPin("GPIO17")
	in, err := NewInput(p, Config{Lockout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan Event, 8)
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx, events) }()
	r, w := io.Pipe()
	go func() {
		_ = p.FeedLines(ctx, r, io.Discard)
	}()
	for i := range 3 {
		if _, err := w.Write([]byte("\n")); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-events:
			if ev.Kind != Press {
				t.Fatalf("line %d: %s, want a press", i, ev)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("line %d: no press", i)
		}
	}
	w.Close()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v", err)
	}
}
