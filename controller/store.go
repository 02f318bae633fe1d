package controller

import "errors"

// ErrShowNotKept: the history of the journal lacks the show a past entry
// put in use (a store written before shows were kept), so the entries
// after it cannot be replayed; a standby starts over from a snapshot.
var ErrShowNotKept = errors.New("the show of a past entry was not kept")

// Store persists the show, the state, the journal and the answers to
// identified commands. An accepted command is on disk (fsync) before
// Commit returns: nothing is acknowledged or published before it is. A
// refused command changes nothing, so its journal entry may wait: a crash
// may lose the refusals of its last second, never an accepted command.
// The engine calls Commit, Refuse and Answer with its lock held.
// The bbolt implementation lives in controller/bolt.
type Store interface {
	// Load returns what was saved, or nil when the store is empty.
	Load() (*Saved, error)
	// Commit saves an accepted command durably: its journal entry, the new
	// state, the new show when it was replaced, and the answer under the
	// command's id. Accepted commands are kept whole, for ever: they are
	// the show's record.
	Commit(rec Record) error
	// Refuse journals a refused command and its answer. It must not wait
	// for the disk: the entry may be written later (with the next Commit,
	// or in a batch), but Answer and Entries see it at once. A store may
	// keep only the most recent refusals (bolt: the last 10,000, none
	// older than 7 days), deleting a forgotten refusal's answer with it.
	Refuse(e Entry) error
	// Answer finds the answer given to a command id, if any, pending
	// refusals included.
	Answer(id string) (Answer, bool, error)
	// Entries calls fn for every journal entry kept, oldest first.
	Entries(fn func(Entry) error) error
}

// Saved is what a store holds between runs.
type Saved struct {
	Show  *Show `json:"show"`
	State State `json:"state"`
}

// Record is one accepted change.
type Record struct {
	Entry Entry
	State State
	Show  *Show // the new show, nil when unchanged
}

// Entry is one line of the journal: a command, accepted or refused.
type Entry struct {
	At      int64   `json:"at"` // Unix ms
	Actor   Actor   `json:"actor"`
	Command Command `json:"command"`
	Answer  Answer  `json:"answer"`
	// Digest is the Digest of the state an accepted command committed;
	// a refusal has none. A standby checks its own state against it.
	Digest string `json:"digest,omitempty"`
}

// Answer is what a command was told. A retry with the same command id is
// told the same again.
type Answer struct {
	// Seq is the state sequence after the command (the new one when
	// accepted, the current one when refused).
	Seq     uint64 `json:"seq"`
	Outcome string `json:"outcome,omitempty"`
	Error   *Error `json:"error,omitempty"`
}

// Accepted reports whether the command was applied.
func (a Answer) Accepted() bool { return a.Error == nil }
