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
// the real clock (the agent's clock, which measures ages), at most one per
// pace: the real server allows a socket 20 messages a second, far above
// what a hand does (one press per lockout, 300 ms) but far below what fake
// time produces; and no more than maxInFlight presses wait for an answer,
// as a hand could not press faster than the server answers, and a flood
// would age presses past MaxAge in the queue. Every cutEvery presses the test cuts the agent's link, as
// a broken network would, once the agent is back from the previous cut, so
// presses in flight must be resent and counted once. The server side counts distinct press ids: a lost press is
// a physical press with no id there, a doubled one an extra id.

// maxInFlight bounds the presses handed to the agent and not answered yet.
const maxInFlight = 32

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
func runChain(url, id string, o chainOpts) (chainOut, error) {
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
	d := &cutDialer{}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	agent, err := NewAgent(AgentConfig{Server: url, Key: testKey, ButtonID: id},
		AgentOptions{Dialer: d, Log: quiet, OnResult: func(r PressResult) {
			mu.Lock()
			out.results = append(out.results, r)
			mu.Unlock()
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
		if err := waitUntil(time.Minute, func() bool { return outstanding() < maxInFlight }); err != nil {
			return out, fmt.Errorf("%s: presses stuck without an outcome: %w", id, err)
		}
		now := time.Now()
		ev.At, ev.Seen = now, now
		toAgent <- ev
		out.events++
		if o.cutEvery > 0 && out.events%o.cutEvery == 0 {
			// Cut a live link: wait for the agent to be back from the
			// last cut first (presses keep queuing in Input meanwhile).
			if err := waitUntil(10*time.Second, d.linked); err != nil {
				return out, fmt.Errorf("%s: no link to cut: %w", id, err)
			}
			d.cut()
		}
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

// tally counts what a chain run's results say.
type tally struct{ answered, dropped, resent int }

func countResults(rs []PressResult) tally {
	var t tally
	for _, r := range rs {
		switch {
		case r.Dropped:
			t.dropped++
		default:
			t.answered++
		}
		if r.Sends > 1 {
			t.resent++
		}
	}
	return t
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
