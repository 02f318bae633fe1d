package controller

// StateVersion is the version of the persisted state format, so that a later
// release can migrate a store written by this one.
const StateVersion = 1

// State is the whole live state of a show. It is a value: the engine owns the
// only copy that changes, and hands out copies.
type State struct {
	// Seq rises by one with every accepted command.
	Seq uint64 `json:"seq"`
	// Epoch rises by one with every takeover of a standby: the primary of
	// the highest epoch is the one devices follow (issue #14).
	Epoch uint64 `json:"epoch,omitempty"`
	// EpochSeq is the sequence of the takeover that began the epoch: an
	// old primary stepping down discards what it committed from there.
	EpochSeq uint64 `json:"epochSeq,omitempty"`
	// ShowRev rises by one every time the show is replaced.
	ShowRev uint64 `json:"showRev"`
	// Current is the index of the current segment in the show.
	Current  int     `json:"current"`
	Timer    Timer   `json:"timer"`
	Message  Message `json:"message"`
	Blackout bool    `json:"blackout"`
	Launch   Launch  `json:"launch"`
	// Rehearsal allows the launch to be reset; off for the real show.
	Rehearsal bool `json:"rehearsal"`
	// Runs records, per segment id, when it actually ran, so the rundown
	// and the report show actual against planned times.
	Runs map[string]Run `json:"runs"`
}

// Run is what actually happened to one segment.
type Run struct {
	StartedAt int64 `json:"startedAt"`         // first start, Unix ms
	EndedAt   int64 `json:"endedAt,omitempty"` // last time it was left, Unix ms
	ElapsedMs int64 `json:"elapsedMs"`         // time its clock counted, pauses excluded
	PlannedMs int64 `json:"plannedMs"`         // planned duration plus time added
}

// Message is a message from the MC to the speaker's confidence monitor.
type Message struct {
	Text  string `json:"text"`
	Blink bool   `json:"blink"`
	At    int64  `json:"at"` // when it was set, Unix ms
}

// Clone returns a copy that shares no memory with s.
func (s State) Clone() State {
	c := s
	c.Launch.Presses = append([]Press(nil), s.Launch.Presses...)
	c.Runs = make(map[string]Run, len(s.Runs))
	for k, v := range s.Runs {
		c.Runs[k] = v
	}
	return c
}

// NewState returns the state of a show that has not begun: the first
// segment, its timer not started, the launch idle.
func NewState(showRev uint64) State {
	return State{ShowRev: showRev, Launch: Launch{Phase: LaunchIdle, Presses: []Press{}}, Runs: map[string]Run{}}
}
