package controller

import (
	"context"
	"time"
)

// Expire applies what the clock decided: a segment that holds or advances
// at zero and has reached it. It reports whether anything changed. The
// expiry loop calls it; tests call it after moving a fake clock.
func (e *Engine) Expire() (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.Now()
	next, _, err := Apply(e.show, e.state, Command{Type: CmdExpire}, now)
	if err != nil {
		return false, nil // nothing reached zero
	}
	entry := Entry{At: UnixMs(now), Actor: Actor{Role: "system", Name: "clock"}, Command: Command{Type: CmdExpire}, Answer: Answer{Seq: next.Seq}}
	if err := e.store.Commit(Record{Entry: entry, State: next}); err != nil {
		return false, err
	}
	e.state = next
	e.publishLocked()
	return true, nil
}

// nextExpiry is when the current segment will hold or advance, if it will.
func (e *Engine) nextExpiry() (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.show.Segments[e.state.Current].OnZero == OnZeroOvertime {
		return time.Time{}, false
	}
	return e.state.Timer.ZeroAt()
}

// Run drives expiries on the engine's clock until ctx ends. The server never
// ticks for the screens; this loop only wakes when a segment that holds or
// advances at zero reaches it, or when the state changed (to look again).
func (e *Engine) Run(ctx context.Context) error {
	for {
		wait := time.Hour
		if at, ok := e.nextExpiry(); ok {
			wait = max(at.Sub(e.clock.Now()), 0)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-e.changed:
		case <-e.clock.After(wait):
			if _, err := e.Expire(); err != nil {
				e.log.Error("apply expiry", "err", err)
			}
		}
	}
}
