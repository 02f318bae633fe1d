package controller

import (
	"fmt"
	"time"
)

// ReplaceShow puts a new show in use. While a segment's clock is running it
// is refused unless force is set. The current segment is kept when the new
// show still has its id (its clock takes the new planned duration);
// otherwise the show goes back to its first segment. The launch state is
// kept: a fired launch stays fired. The result carries the snapshot the new
// show committed. A standby refuses it with ENOTPRIMARY.
func (e *Engine) ReplaceShow(show *Show, force bool, actor Actor) (Result, error) {
	show = show.Clone()
	show.Normalize()
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.nowMs()
	entry := Entry{At: UnixMs(now), Actor: actor, Command: Command{Type: CmdReplaceShow}}
	if e.standby {
		return e.refuseLocked(entry, errNotPrimary())
	}
	if e.hall {
		return e.refuseLocked(entry, errHall(CmdReplaceShow))
	}
	st, err := replaceShow(e.show, e.state, show, force, now)
	if err != nil {
		return e.refuseLocked(entry, err)
	}
	entry.Answer = Answer{Seq: st.Seq}
	entry.Digest = Digest(st)
	if err := e.store.Commit(Record{Entry: entry, State: st, Show: show}); err != nil {
		return Result{}, fmt.Errorf("controller: commit show: %w", err)
	}
	e.show, e.state = show, st
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}

// replaceShow is the rule of ReplaceShow: the state after show replaces
// old in st at now. It is a pure function; st is not modified. A refusal
// is an *Error.
func replaceShow(old *Show, st State, show *Show, force bool, now time.Time) (State, error) {
	if err := show.Validate(); err != nil {
		return st, err
	}
	next := settle(old, st.Clone(), now)
	if next.Timer.Phase == TimerRunning && !force {
		return st, Errorf(ECONFLICT, "a segment is running; pause it or replace with force")
	}
	cur := show.Index(old.Segments[next.Current].ID)
	if cur < 0 {
		next.Current, next.Timer = 0, readyTimer(show.Segments[0])
	} else {
		next.Current = cur
		next.Timer.DurationMs = int64(show.Segments[cur].DurationSec) * 1000
	}
	next.Seq++
	next.ShowRev++
	return next, nil
}
