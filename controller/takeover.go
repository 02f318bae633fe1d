package controller

import "fmt"

// Takeover makes this standby the primary, one epoch up: it commits a
// takeover entry (the state's Epoch raised by one, its clocks settled as
// any command settles them) and from then on takes commands. Only the
// pair calls it, once the standby has applied every entry it
// acknowledged. A primary refuses it (ECONFLICT).
func (e *Engine) Takeover(actor Actor) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.nowMs()
	entry := Entry{At: UnixMs(now), Actor: actor, Command: Command{Type: CmdTakeover}}
	if !e.standby {
		return e.refuseLocked(entry, Errorf(ECONFLICT, "this server is already the primary"))
	}
	next, _, err := Apply(e.show, e.state, entry.Command, now)
	if err != nil {
		return e.refuseLocked(entry, err)
	}
	entry.Answer = Answer{Seq: next.Seq}
	entry.Digest = Digest(next)
	if err := e.store.Commit(Record{Entry: entry, State: next}); err != nil {
		return Result{}, fmt.Errorf("controller: commit takeover: %w", err)
	}
	e.state, e.standby = next, false
	e.log.Warn("takeover: this server is now the primary", "epoch", next.Epoch, "seq", next.Seq, "actor", actor.Name)
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}
