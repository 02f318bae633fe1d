package controller

import "fmt"

// ReplaceShow puts a new show in use. While a segment's clock is running it
// is refused unless force is set. The current segment is kept when the new
// show still has its id (its clock takes the new planned duration);
// otherwise the show goes back to its first segment. The launch state is
// kept: a fired launch stays fired. The result carries the snapshot the new
// show committed.
func (e *Engine) ReplaceShow(show *Show, force bool, actor Actor) (Result, error) {
	show = show.Clone()
	show.Normalize()
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.Now()
	entry := Entry{At: UnixMs(now), Actor: actor, Command: Command{Type: "replace-show"}}
	if err := show.Validate(); err != nil {
		return e.refuseLocked(entry, err)
	}
	st := settle(e.show, e.state.Clone(), now)
	if st.Timer.Phase == TimerRunning && !force {
		return e.refuseLocked(entry, Errorf(ECONFLICT, "a segment is running; pause it or replace with force"))
	}
	cur := show.Index(e.show.Segments[st.Current].ID)
	if cur < 0 {
		st.Current, st.Timer = 0, readyTimer(show.Segments[0])
	} else {
		st.Current = cur
		st.Timer.DurationMs = int64(show.Segments[cur].DurationSec) * 1000
	}
	st.Seq++
	st.ShowRev++
	entry.Answer = Answer{Seq: st.Seq}
	if err := e.store.Commit(Record{Entry: entry, State: st, Show: show}); err != nil {
		return Result{}, fmt.Errorf("controller: commit show: %w", err)
	}
	e.show, e.state = show, st
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}
