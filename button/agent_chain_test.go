package button

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// The chain tests count presses lost or doubled on the whole way from the
// contact to the server:
//
//	scripted pin (random bounce, fake time) → Input → pacer → Agent →
//	websocket (cut now and then) → server
//
// The pin replays timeline(): physical presses that bounce on the way down
// and up, with spikes shorter than the filter before them and inside their
// lockout. Input runs in fake time, so thousands of presses take seconds.
// The pacer hands each press to the agent as Input reports it, re-dated to
// the real clock (the agent's clock, which measures ages), and holds it
// back while maxInFlight presses of the button wait for an answer, as a
// hand presses at most a few times a second (a flood would only measure
// how long presses queue behind a busy server's fsyncs, and age them past
// MaxAge, which the agent then drops by design); with pace set, it also
// waits that long between presses, to stay under the real server's 20
// messages a second per socket. Every cutEvery presses the test cuts the
// agent's link right after the next press is written, as a broken network
// would, so that press's answer is lost and the agent must resend it. The
// server side counts distinct press ids: a lost press is a physical press
// whose id never reached it, a doubled one an id too many.

// maxInFlight bounds the presses of a button handed to the agent and not
// answered yet: a hand pressing as fast as the lockout allows, for a
// second or so.
const maxInFlight = 4

// chainOpts shapes one chain run.
type chainOpts struct {
	n        int           // physical presses
	seed     uint64        // of the random timeline
	pace     time.Duration // least real time between two presses to the agent
	cutEvery int           // cut the link after every cutEvery presses; 0 never
}

// chainOut is what one chain run saw on the agent's side.
type chainOut struct {
	events  int // presses Input reported
	faults  int // other events Input reported
	results []PressResult
	cuts    int
}

// runChain runs one button through the chain against url until every
// press reported by Input has an outcome. It may run in a goroutine: it
// returns errors rather than failing the test.
func runChain(url, key, id string, o chainOpts) (chainOut, error) {
	var out chainOut
	rng := rand.New(rand.NewPCG(o.seed, 326))
	steps, _ := timeline(rng, o.n, DefaultFilter, DefaultLockout)
	clock := newFakeClock()
	inCtx, stopIn := context.WithCancel(context.Background())
	defer stopIn()
	errs := &errSink{}
	pin := &scriptPin{tb: errs, clock: clock, steps: steps, level: gpio.High,
		end: steps[len(steps)-1].at + time.Second, cancel: stopIn}
	in, err := NewInput(pin, Config{Clock: clock})
	if err != nil {
		return out, err
	}
	pin.poll = in.Config().Poll
	fromInput := make(chan Event, 16)
	go func() {
		_ = in.Run(inCtx, fromInput)
		close(fromInput)
	}()

	var mu sync.Mutex
	slots := make(chan struct{}, maxInFlight)
	d := &cutDialer{}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	agent, err := NewAgent(AgentConfig{Server: url, Key: key, ButtonID: id},
		AgentOptions{Dialer: d, Log: quiet, OnResult: func(r PressResult) {
			mu.Lock()
			out.results = append(out.results, r)
			mu.Unlock()
			<-slots
		}})
	if err != nil {
		return out, err
	}
	agentCtx, stopAgent := context.WithCancel(context.Background())
	defer stopAgent()
	toAgent := make(chan Event, 16)
	done := make(chan error, 1)
	go func() { done <- agent.Run(agentCtx, toAgent) }()
	if err := waitUntil(10*time.Second, func() bool { return agent.LED().State() != FastBlink }); err != nil {
		return out, fmt.Errorf("%s: no connection: %w", id, err)
	}

	outstanding := func() int {
		mu.Lock()
		defer mu.Unlock()
		return out.events - len(out.results)
	}
	for ev := range fromInput {
		if ev.Kind != Press {
			out.faults++
			continue
		}
		select {
		case slots <- struct{}{}:
		case <-time.After(time.Minute):
			return out, fmt.Errorf("%s: %d presses stuck without an outcome", id, outstanding())
		}
		if o.cutEvery > 0 && (out.events+1)%o.cutEvery == 0 {
			// Cut the link once this press is written: wait for the agent
			// to be back from the last cut first.
			if err := waitUntil(10*time.Second, d.linked); err != nil {
				return out, fmt.Errorf("%s: no link to cut: %w", id, err)
			}
			d.cutAfterWrite(`"type":"press"`)
		}
		now := time.Now()
		ev.At, ev.Seen = now, now
		toAgent <- ev
		out.events++
		if o.pace > 0 {
			time.Sleep(o.pace)
		}
	}
	if err := waitUntil(time.Minute, func() bool { return outstanding() == 0 }); err != nil {
		return out, fmt.Errorf("%s: %d presses without an outcome: %w", id, out.events-len(out.results), err)
	}
	stopAgent()
	<-done
	out.cuts = d.cutCount()
	return out, errs.err()
}

// waitUntil polls cond until it holds or limit passes.
func waitUntil(limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("gave up after %s", limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// errSink is a testing.TB for scriptPin in a goroutine: it keeps the first
// error instead of failing the test from the wrong goroutine.
type errSink struct {
	testing.TB // nil: scriptPin calls only Errorf
	mu         sync.Mutex
	first      error
}

func (e *errSink) Errorf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.first == nil {
		e.first = fmt.Errorf(format, args...)
	}
}

func (e *errSink) err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.first
}
