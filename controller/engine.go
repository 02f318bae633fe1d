package controller

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Snapshot is the state with the show it refers to. Both are immutable once
// published: readers may keep and share them.
type Snapshot struct {
	Show  *Show
	State State
}

// Publisher receives every new snapshot, in order, after it is committed.
// Publish is called with the engine's lock held: it must not block or call
// back into the engine.
type Publisher interface {
	Publish(Snapshot)
}

// Engine is the one owner of a show's state. It validates commands, applies
// the rules, commits the result, then publishes it.
type Engine struct {
	clock Clock
	store Store
	log   *slog.Logger

	mu      sync.Mutex
	show    *Show
	state   State
	standby bool // refuses commands and follows the primary's entries
	hall    bool // a district hall's: mirrors the province, takes only hallCommands
	subs    []Publisher
	changed chan struct{} // wakes the expiry loop
}

// Config configures an engine.
type Config struct {
	Store Store
	Clock Clock        // nil means the system clock
	Log   *slog.Logger // nil means slog.Default()
	// DefaultShow is loaded when the store is empty.
	DefaultShow *Show
}

// Open loads the saved show and state, or starts the default show on an
// empty store.
func Open(cfg Config) (*Engine, error) {
	e := &Engine{clock: cfg.Clock, store: cfg.Store, log: cfg.Log, changed: make(chan struct{}, 1)}
	if e.clock == nil {
		e.clock = SystemClock{}
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	saved, err := cfg.Store.Load()
	if err != nil {
		return nil, fmt.Errorf("controller: load store: %w", err)
	}
	if saved != nil {
		if err := saved.Show.Validate(); err != nil {
			return nil, fmt.Errorf("controller: saved show is invalid: %w", err)
		}
		if saved.State.Current < 0 || saved.State.Current >= len(saved.Show.Segments) {
			return nil, fmt.Errorf("controller: saved state points at segment %d of %d", saved.State.Current, len(saved.Show.Segments))
		}
		e.show, e.state = saved.Show, saved.State
		if e.state.Runs == nil {
			e.state.Runs = map[string]Run{}
		}
		return e, nil
	}
	if cfg.DefaultShow == nil {
		return nil, errors.New("controller: empty store and no default show")
	}
	e.show = cfg.DefaultShow.Clone()
	e.state = NewState(1)
	e.state.Timer = readyTimer(e.show.Segments[0])
	rec := Record{
		Entry: Entry{At: UnixMs(e.clock.Now()), Actor: Actor{Role: "system"}, Command: Command{Type: CmdLoadShow}, Digest: Digest(e.state)},
		State: e.state, Show: e.show,
	}
	if err := e.store.Commit(rec); err != nil {
		return nil, fmt.Errorf("controller: save default show: %w", err)
	}
	return e, nil
}

// Subscribe adds a publisher and hands it the current snapshot at once.
func (e *Engine) Subscribe(p Publisher) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.subs = append(e.subs, p)
	p.Publish(e.snapshotLocked())
}

// Snapshot returns the current show and state.
func (e *Engine) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snapshotLocked()
}

func (e *Engine) snapshotLocked() Snapshot {
	return Snapshot{Show: e.show, State: e.state.Clone()}
}

// Now is the engine's clock.
func (e *Engine) Now() time.Time { return e.clock.Now() }

// nowMs is the engine's clock on a whole millisecond: every decision is
// taken at the instant the journal records (Entry.At), so re-applying an
// entry at time.UnixMilli(entry.At) gives the same state bit for bit.
func (e *Engine) nowMs() time.Time { return time.UnixMilli(UnixMs(e.clock.Now())) }

// SetPrimary makes the engine the primary (it takes commands and decides
// expiries) or the standby (it refuses commands with ENOTPRIMARY and
// follows the primary's entries, see Follow). An engine is primary until
// told otherwise.
func (e *Engine) SetPrimary(primary bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.standby = !primary
	select { // the expiry loop looks again: a new primary decides expiries
	case e.changed <- struct{}{}:
	default:
	}
}

// Epoch is the state's epoch (raised by each takeover), read without
// copying the state: answers and the pair read it often.
func (e *Engine) Epoch() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state.Epoch
}

// Primary reports whether the engine takes commands.
func (e *Engine) Primary() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !e.standby
}

// errNotPrimary refuses a command sent to the standby.
func errNotPrimary() *Error {
	return Errorf(ENOTPRIMARY, "this server is the standby; send commands to the primary")
}

// Result is what a command was told, with the snapshot it committed: the
// answer to the device and the state it may show come from the same
// instant, whatever commands follow it.
type Result struct {
	Answer Answer
	// Snapshot is the show and state the command committed. A retry
	// answered from the journal gets the current snapshot; a refused
	// command gets the zero Snapshot.
	Snapshot Snapshot
}

// Execute normalises, validates, applies, commits and publishes one
// command. The answer is returned whether the command was accepted or not;
// a standby refuses every command with ENOTPRIMARY, but answers a retry of
// a command id already answered (by the primary or by itself) as before;
// err is non-nil only when the command was refused (an *Error) or the store
// failed. A refused command is journalled without waiting for the disk
// (Store.Refuse), so a client sending bad commands holds the lock for
// microseconds, not for an fsync each.
func (e *Engine) Execute(cmd Command, actor Actor) (Result, error) {
	if cmd.ID == "" {
		cmd.ID = cmd.pressKey()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if cmd.ID != "" {
		if prev, ok, err := e.store.Answer(cmd.ID); err != nil {
			return Result{}, fmt.Errorf("controller: look up command %q: %w", cmd.ID, err)
		} else if ok && (prev.Error == nil || prev.Error.Code != ENOTPRIMARY) {
			// A not_primary answer was no decision: once this server
			// is the primary, the retry is decided afresh.
			return e.replayLocked(prev)
		}
	}
	now := e.nowMs()
	entry := Entry{At: UnixMs(now), Actor: actor, Command: cmd}
	if e.standby {
		return e.refuseLocked(entry, errNotPrimary())
	}
	if e.hall && !hallCommands[cmd.Type] {
		return e.refuseLocked(entry, errHall(cmd.Type))
	}
	cmd = cmd.Normalize()
	if err := e.check(cmd); err != nil {
		return e.refuseLocked(entry, err)
	}
	next, outcome, err := Apply(e.show, e.state, cmd, now)
	if err != nil {
		return e.refuseLocked(entry, err)
	}
	entry.Command = cmd
	entry.Answer = Answer{Seq: next.Seq, Outcome: outcome}
	entry.Digest = Digest(next)
	if err := e.store.Commit(Record{Entry: entry, State: next}); err != nil {
		return Result{}, fmt.Errorf("controller: commit %s: %w", cmd.Type, err)
	}
	e.state = next
	snap := e.publishLocked()
	if cmd.IsLaunch() {
		e.log.Info("launch", "command", cmd.Type, "outcome", outcome, "phase", next.Launch.Phase, "actor", actor.Name, "role", actor.Role, "seq", next.Seq)
	}
	return Result{Answer: entry.Answer, Snapshot: snap}, nil
}

// replayLocked answers a retry of a command id with its first answer.
func (e *Engine) replayLocked(prev Answer) (Result, error) {
	if err := answerErr(prev); err != nil {
		return Result{Answer: prev}, err
	}
	return Result{Answer: prev, Snapshot: e.snapshotLocked()}, nil
}

func (e *Engine) check(cmd Command) error {
	if err := cmd.Validate(); err != nil {
		return err
	}
	if cmd.Seq != nil && *cmd.Seq != e.state.Seq {
		return Errorf(ECONFLICT, "the state moved on (sequence %d, the command was decided on %d); look again and retry", e.state.Seq, *cmd.Seq)
	}
	return nil
}

// refuseLocked answers a refused command and journals it (Store.Refuse,
// which does not wait for the disk). A journal that fails is logged: the
// refusal is answered all the same, since it changed nothing.
func (e *Engine) refuseLocked(entry Entry, err error) (Result, error) {
	var de *Error
	if !errors.As(err, &de) {
		de = &Error{Code: EINTERNAL, Message: err.Error()}
	}
	entry.Answer = Answer{Seq: e.state.Seq, Error: de}
	if serr := e.store.Refuse(entry); serr != nil {
		e.log.Error("journal a refused command", "err", serr)
	}
	return Result{Answer: entry.Answer}, de
}

// publishLocked hands the committed snapshot to every publisher, wakes the
// expiry loop and returns the snapshot.
func (e *Engine) publishLocked() Snapshot {
	snap := e.snapshotLocked()
	for _, p := range e.subs {
		p.Publish(snap)
	}
	select {
	case e.changed <- struct{}{}:
	default:
	}
	return snap
}

func answerErr(a Answer) error {
	if a.Error != nil {
		return a.Error
	}
	return nil
}
