package controller

import (
	"context"
	"fmt"
	"time"
)

// Expire applies what the clock decided: a segment that holds or advances
// at zero and has reached it. It reports whether anything changed. The
// expiry loop calls it; tests call it after moving a fake clock. A
// standby does nothing: the primary's expiries reach it as entries; nor
// does a district hall, which mirrors the province's.
func (e *Engine) Expire() (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.standby || e.hall {
		return false, nil
	}
	now := e.nowMs()
	next, _, err := Apply(e.show, e.state, Command{Type: CmdExpire}, now)
	if err != nil {
		return false, nil // nothing reached zero
	}
	entry := Entry{At: UnixMs(now), Actor: Actor{Role: "system", Name: "clock"}, Command: Command{Type: CmdExpire}, Answer: Answer{Seq: next.Seq}, Digest: Digest(next)}
	if err := e.store.Commit(Record{Entry: entry, State: next}); err != nil {
		return false, fmt.Errorf("controller: commit expiry: %w", err)
	}
	e.state = next
	e.publishLocked()
	return true, nil
}

// nextExpiry is when the current segment will hold or advance, if it will.
// A standby decides no expiry, so it has none to wait for.
func (e *Engine) nextExpiry() (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.standby || e.hall || e.show.Segments[e.state.Current].OnZero == OnZeroOvertime {
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
