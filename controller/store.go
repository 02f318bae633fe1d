package controller

// Store persists the show, the state, the journal and the answers to
// identified commands. Every method commits durably (fsync) before it
// returns: nothing is acknowledged or published before it is on disk.
// The bbolt implementation lives in controller/bolt.
type Store interface {
	// Load returns what was saved, or nil when the store is empty.
	Load() (*Saved, error)
	// Commit saves an accepted command: its journal entry, the new state,
	// the new show when it was replaced, and the answer under the command's id.
	Commit(rec Record) error
	// Refuse saves the journal entry of a refused command and its answer.
	Refuse(e Entry) error
	// Answer finds the answer given to a command id, if any.
	Answer(id string) (Answer, bool, error)
	// Entries calls fn for every journal entry, oldest first.
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
