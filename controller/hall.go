package controller

import (
	"errors"
	"fmt"
)

// CmdMirror is a district hall's server taking the province's state
// (Engine.Mirror, issue #15).
const CmdMirror CommandType = "mirror"

// ErrNotHall refuses Mirror on an engine that runs its own show.
var ErrNotHall = errors.New("controller: only a district hall's engine mirrors the province")

// hallCommands are what a district hall's own operator may do: black out
// the hall's screens and put a message on its confidence monitor.
var hallCommands = map[CommandType]bool{CmdBlackout: true, CmdMessage: true, CmdClearMsg: true}

// errHall refuses a command the province decides.
func errHall(t CommandType) *Error {
	return Errorf(EFORBIDDEN, "this is a district hall's server: the show is run from the province; here only the hall's blackout and message (not %s)", t)
}

// SetHall makes the engine a district hall's (issue #15): it shows the
// province's show and state, which it takes by Mirror, decides no expiry,
// and of the commands takes only the hall's own (blackout, message,
// clear-message). A hall's engine stays one: call it before serving.
func (e *Engine) SetHall() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hall = true
	select { // the expiry loop looks again and finds nothing to decide
	case e.changed <- struct{}{}:
	default:
	}
}

// Hall reports whether the engine is a district hall's.
func (e *Engine) Hall() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.hall
}

// Mirror makes the province's state this hall's, committed and published
// as the hall's next state. The hall's own blackout and message stay: the
// province's are for the main hall. The hall numbers its states itself
// (its sequence rises by one per mirror or hall command) and its show
// revision rises whenever show is given, so its screens fetch the show
// again; a nil show keeps the current one. Instants stay as the province
// decided them: the hall's server tells its screens the province's time.
func (e *Engine) Mirror(show *Show, st State) (Result, error) {
	if show != nil {
		show = show.Clone()
		if err := show.Validate(); err != nil {
			return Result{}, fmt.Errorf("controller: mirror: the show is invalid: %w", err)
		}
	}
	st = st.Clone()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.hall {
		return Result{}, ErrNotHall
	}
	sh := e.show
	if show != nil {
		sh = show
	}
	if st.Current < 0 || st.Current >= len(sh.Segments) {
		return Result{}, fmt.Errorf("controller: mirror: the state points at segment %d of %d", st.Current, len(sh.Segments))
	}
	next := st
	next.Seq, next.Epoch, next.EpochSeq = e.state.Seq+1, 0, 0
	next.ShowRev = e.state.ShowRev
	if show != nil {
		next.ShowRev++
	}
	next.Blackout, next.Message = e.state.Blackout, e.state.Message
	if next.Launch.Presses == nil {
		next.Launch.Presses = []Press{}
	}
	if next.Runs == nil {
		next.Runs = map[string]Run{}
	}
	entry := Entry{At: UnixMs(e.clock.Now()), Actor: Actor{Role: "system", Name: "province"}, Command: Command{Type: CmdMirror},
		Answer: Answer{Seq: next.Seq}, Digest: Digest(next)}
	if err := e.store.Commit(Record{Entry: entry, State: next, Show: show}); err != nil {
		return Result{}, fmt.Errorf("controller: commit mirror at %d: %w", next.Seq, err)
	}
	e.show, e.state = sh, next
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}
