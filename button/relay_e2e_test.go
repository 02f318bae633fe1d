package button

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/phatdong/phatdong/controller"
)

// relayBound is how far from fireAt the agent's relay may close, in this
// test on one machine (the agent's clock estimate plus scheduling).
const relayBound = 50 * time.Millisecond

// TestEndToEndRehearsalFireClosesTheRelay: a rehearsal fire by a real
// agent's press closes its relay (periph's fake pin) at fireAt, for the
// hold (TestRelayClosesAtFireAtForHold checks that a fire id closes it
// once).
func TestEndToEndRehearsalFireClosesTheRelay(t *testing.T) {
	srv := startRealServer(t, nil)
	real := clockwork.NewRealClock()
	pin := &recordedPin{Pin: &gpiotest.Pin{N: "GPIO22"}, clock: real, changes: make(chan levelChange, 16)}
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	relay, err := NewRelay(pin, RelayConfig{Hold: 200 * time.Millisecond, ActiveLow: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	if c := <-pin.changes; c.level != gpio.High {
		t.Fatalf("an active-low relay opened with %v", c.level)
	}
	sim := NewSimPin("GPIO17")
	in, err := NewInput(sim, quick)
	if err != nil {
		t.Fatal(err)
	}
	agent, err := NewAgent(AgentConfig{Server: srv.url, Key: srv.key(t, "nut-1"), ButtonID: "nut-1", RelayPin: "GPIO22", RelayActiveLow: true},
		AgentOptions{Log: log, Relay: relay})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agent.Serve(ctx, in) }()
	defer func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("agent log:\n%s", logs)
		}
	}()

	on := true
	srv.exec(t, controller.Command{Type: controller.CmdRehearsal, On: &on})
	srv.exec(t, controller.Command{Type: controller.CmdArm})
	waitFor(t, "LED armed", func() bool { return agent.LED().State() == SlowBlink })
	waitFor(t, "a clock estimate", func() bool { return agent.est.Count() > 0 })
	sim.Press(context.Background(), 50*time.Millisecond)

	closed := <-pin.changes
	fireAt := time.UnixMilli(srv.engine.Snapshot().State.Launch.FireAt)
	if closed.level != gpio.Low {
		t.Fatalf("first change %v, want closed (low)", closed.level)
	}
	if d := closed.at.Sub(fireAt); d < -relayBound || d > relayBound {
		t.Fatalf("closed %v from fireAt, want within ±%v", d, relayBound)
	}
	opened := <-pin.changes
	if hold := opened.at.Sub(closed.at); opened.level != gpio.High || hold < 200*time.Millisecond || hold > 200*time.Millisecond+relayBound {
		t.Fatalf("opened with %v after %v, want high after the 200 ms hold", opened.level, hold)
	}
	t.Logf("relay closed %v from fireAt, held %v", closed.at.Sub(fireAt), opened.at.Sub(closed.at))

}
