package controller

import (
	"errors"
	"fmt"
	"time"
)

// Journal-only command types: the engine's own changes that are not
// Commands a client sends. Each carries a show in its Record.
const (
	// CmdReplaceShow puts a new show in use (ReplaceShow).
	CmdReplaceShow CommandType = "replace-show"
	// CmdLoadShow is the default show loaded on an empty store (Open).
	CmdLoadShow CommandType = "load-show"
	// CmdRestore is a standby taking the primary's snapshot (Restore).
	CmdRestore CommandType = "restore"
)

// Errors of Follow. Each is wrapped with the entry's details.
var (
	// ErrApplied: the entry's sequence is already applied here.
	ErrApplied = errors.New("controller: entry already applied")
	// ErrGap: entries are missing between this state and the entry.
	ErrGap = errors.New("controller: entries missing before this one")
	// ErrDiverged: re-applying the entry does not give the primary's
	// state (another sequence, outcome or digest): the standby must take
	// a snapshot (Restore).
	ErrDiverged = errors.New("controller: state diverged from the primary's")
	// ErrNotFollowable: the entry cannot be re-applied (a restore or a
	// default show loaded, or a refusal): take a snapshot instead.
	ErrNotFollowable = errors.New("controller: entry cannot be followed")
	// ErrPrimary: Follow and Restore are a standby's; the primary decides.
	ErrPrimary = errors.New("controller: this engine is the primary")
)

// Follow applies one entry the primary committed, with the new show when
// the entry replaced it, so that this standby's state and store become the
// primary's: same sequence, same state (checked by entry.Digest), same
// launch fire id. The entry is re-applied at its own instant
// (time.UnixMilli(entry.At)) and committed as received, so a retry of its
// command id is answered here with the primary's answer. An entry already
// applied returns ErrApplied, one after a gap ErrGap, one that does not
// give the primary's state ErrDiverged; none of them changes anything.
func (e *Engine) Follow(entry Entry, show *Show) (Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.standby {
		return Result{}, ErrPrimary
	}
	want, have := entry.Answer.Seq, e.state.Seq
	switch {
	case want <= have:
		return Result{}, fmt.Errorf("entry %d (%s), state at %d: %w", want, entry.Command.Type, have, ErrApplied)
	case want > have+1:
		return Result{}, fmt.Errorf("entry %d (%s), state at %d: %w", want, entry.Command.Type, have, ErrGap)
	case entry.Answer.Error != nil:
		return Result{}, fmt.Errorf("entry %d is a refusal: %w", want, ErrNotFollowable)
	case entry.Digest == "":
		return Result{}, fmt.Errorf("entry %d (%s) carries no digest: %w", want, entry.Command.Type, ErrDiverged)
	}
	now := time.UnixMilli(entry.At)
	var next State
	var outcome string
	var err error
	newShow := e.show
	switch entry.Command.Type {
	case CmdReplaceShow:
		if show == nil {
			return Result{}, fmt.Errorf("controller: entry %d replaces the show but comes without it", want)
		}
		newShow = show.Clone()
		next, err = replaceShow(e.show, e.state, newShow, true, now)
	case CmdRestore, CmdLoadShow:
		return Result{}, fmt.Errorf("entry %d (%s): %w", want, entry.Command.Type, ErrNotFollowable)
	default: // expire included: Apply knows it
		next, outcome, err = Apply(e.show, e.state, entry.Command, now)
	}
	if err != nil {
		return Result{}, fmt.Errorf("entry %d (%s) refused here (%v): %w", want, entry.Command.Type, err, ErrDiverged)
	}
	if got := Digest(next); next.Seq != want || got != entry.Digest || outcome != entry.Answer.Outcome {
		return Result{}, fmt.Errorf("entry %d (%s) gives sequence %d, digest %s, outcome %q; the primary's: digest %s, outcome %q: %w",
			want, entry.Command.Type, next.Seq, got, outcome, entry.Digest, entry.Answer.Outcome, ErrDiverged)
	}
	rec := Record{Entry: entry, State: next}
	if entry.Command.Type == CmdReplaceShow {
		rec.Show = newShow
	}
	if err := e.store.Commit(rec); err != nil {
		return Result{}, fmt.Errorf("controller: commit followed entry %d: %w", want, err)
	}
	e.show, e.state = newShow, next
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}

// Restore makes the primary's snapshot (its show and state) this
// standby's, as a start or to re-synchronise after ErrGap or ErrDiverged.
// The snapshot is the truth: the sequence may go back or forward. It is
// journalled as a "restore" entry at at (Unix ms) by actor, with note (for
// instance what an old primary stepping down discarded) as its text.
func (e *Engine) Restore(show *Show, st State, at int64, actor Actor, note string) (Result, error) {
	if show == nil {
		return Result{}, errors.New("controller: restore without a show")
	}
	show = show.Clone()
	if err := show.Validate(); err != nil {
		return Result{}, fmt.Errorf("controller: restore: the show is invalid: %w", err)
	}
	if st.Current < 0 || st.Current >= len(show.Segments) {
		return Result{}, fmt.Errorf("controller: restore: the state points at segment %d of %d", st.Current, len(show.Segments))
	}
	st = st.Clone()
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.standby {
		return Result{}, ErrPrimary
	}
	entry := Entry{At: at, Actor: actor, Command: Command{Type: CmdRestore, Text: note}, Answer: Answer{Seq: st.Seq}, Digest: Digest(st)}
	if err := e.store.Commit(Record{Entry: entry, State: st, Show: show}); err != nil {
		return Result{}, fmt.Errorf("controller: commit restore at %d: %w", st.Seq, err)
	}
	e.show, e.state = show, st
	snap := e.publishLocked()
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}
