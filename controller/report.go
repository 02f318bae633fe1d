package controller

import (
	"fmt"
	"time"
)

// Report is what happened during a show, against its plan: per segment the
// planned and actual start and duration, and how the launch went.
type Report struct {
	Title       string          `json:"title"`
	Venue       string          `json:"venue,omitempty"`
	Date        string          `json:"date,omitempty"`
	GeneratedAt int64           `json:"generatedAt"` // Unix ms
	Rehearsal   bool            `json:"rehearsal"`
	Segments    []SegmentReport `json:"segments"`
	Launch      LaunchReport    `json:"launch"`
	// Servers are the takeovers and restores of the pair (issue #14),
	// oldest first: who drove the show when, and what an old primary
	// discarded when it stepped down.
	Servers []ServerEvent `json:"servers"`
}

// ServerEvent is a takeover (this server became the primary) or a restore
// (it took the primary's snapshot, as a new standby or an old primary
// stepping down), from the journal.
type ServerEvent struct {
	At    int64       `json:"at"`
	Type  CommandType `json:"type"` // takeover or restore
	Seq   uint64      `json:"seq"`
	Actor string      `json:"actor,omitempty"`
	// Note says what an old primary discarded, when it did.
	Note string `json:"note,omitempty"`
}

// Segment statuses in a report.
const (
	RunNotStarted = "not-started"
	RunRunning    = "running"
	RunPaused     = "paused" // paused, or held at zero
	RunDone       = "done"
)

// SegmentReport is one segment of the report. Times are Unix ms, 0 when
// unknown; durations are milliseconds.
type SegmentReport struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Kind    Kind   `json:"kind"`
	Speaker string `json:"speaker,omitempty"`
	// PlannedStart is the actual start of the programme (the first segment
	// after the welcome) plus the planned durations before this segment.
	PlannedStart int64 `json:"plannedStart"`
	PlannedMs    int64 `json:"plannedMs"`
	// AddedMs is the time the operator added (negative: removed).
	AddedMs     int64 `json:"addedMs"`
	ActualStart int64 `json:"actualStart"`
	ActualMs    int64 `json:"actualMs"`
	// OverMs is actual minus (planned plus added): positive is overtime,
	// negative finished early. 0 for a segment that never ran.
	OverMs int64  `json:"overMs"`
	Status string `json:"status"`
}

// LaunchReport is how the launch went.
type LaunchReport struct {
	Phase    LaunchPhase `json:"phase"`
	ArmedAt  int64       `json:"armedAt,omitempty"`
	FiredAt  int64       `json:"firedAt,omitempty"`
	FireAt   int64       `json:"fireAt,omitempty"`
	FireID   string      `json:"fireId,omitempty"`
	Source   string      `json:"source,omitempty"` // "backup" or "button:<id>"
	Required int         `json:"required"`
	Presses  []Press     `json:"presses"`
	// Triggers are every press and fire since the last reset of the
	// launch, accepted or not, oldest first.
	Triggers   []Trigger `json:"triggers"`
	Duplicates int       `json:"duplicates"` // refused as already fired or already counted
	Refused    int       `json:"refused"`    // refused for another reason, e.g. not armed
}

// Trigger is one press or fire from the journal.
type Trigger struct {
	At      int64       `json:"at"`
	Type    CommandType `json:"type"`
	Role    string      `json:"role"`
	Name    string      `json:"name,omitempty"`
	Button  string      `json:"button,omitempty"`
	Outcome string      `json:"outcome"` // counted, fired, or the error code
}

// Report is the report of the show at the engine's now: the current
// snapshot against the journal's launch entries up to that snapshot. The
// journal is read without holding up commands.
func (e *Engine) Report() (Report, error) {
	e.mu.Lock()
	snap, now := e.snapshotLocked(), e.clock.Now()
	e.mu.Unlock()
	var launch []Entry
	err := e.store.Entries(func(en Entry) error {
		if (en.Command.IsLaunch() || isServerEvent(en)) && en.Answer.Seq <= snap.State.Seq {
			launch = append(launch, en)
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("controller: read the journal: %w", err)
	}
	return BuildReport(snap, launch, now), nil
}

// BuildReport derives the report of a snapshot at now. entries is the
// journal (any superset of its launch entries, oldest first). The running
// segment is measured on its live clock at now.
func BuildReport(snap Snapshot, entries []Entry, now time.Time) Report {
	sh, st := snap.Show, snap.State
	r := Report{
		Title: sh.Title, Venue: sh.Venue, Date: sh.Date, GeneratedAt: UnixMs(now),
		Rehearsal: st.Rehearsal,
		Segments:  make([]SegmentReport, len(sh.Segments)),
	}
	anchor := 0
	for anchor < len(sh.Segments)-1 && sh.Segments[anchor].Kind == KindWelcome {
		anchor++
	}
	planned := st.Runs[sh.Segments[anchor].ID].StartedAt
	for i, g := range sh.Segments {
		sr := SegmentReport{
			Index: i, ID: g.ID, Title: g.Title, Kind: g.Kind, Speaker: g.Speaker,
			PlannedMs: int64(g.DurationSec) * 1000, Status: RunNotStarted,
		}
		if i >= anchor && planned != 0 {
			sr.PlannedStart = planned
			planned += sr.PlannedMs
		}
		measure(&sr, st, i, now)
		r.Segments[i] = sr
	}
	r.Launch = launchReport(st.Launch, entries)
	r.Servers = []ServerEvent{}
	for _, en := range entries {
		if isServerEvent(en) {
			r.Servers = append(r.Servers, ServerEvent{At: en.At, Type: en.Command.Type, Seq: en.Answer.Seq, Actor: en.Actor.Name, Note: en.Command.Text})
		}
	}
	return r
}

// isServerEvent reports whether en is a takeover or a restore.
func isServerEvent(en Entry) bool {
	return en.Answer.Accepted() && (en.Command.Type == CmdTakeover || en.Command.Type == CmdRestore)
}

// measure fills the actual figures of segment i from its run, and from the
// live clock when it is the current segment and its clock has started.
func measure(sr *SegmentReport, st State, i int, now time.Time) {
	run, ran := st.Runs[sr.ID]
	live := i == st.Current && st.Timer.Phase != TimerReady && (!ran || run.EndedAt == 0)
	switch {
	case live:
		sr.ActualStart = run.StartedAt
		if !ran {
			sr.ActualStart = st.Timer.StartedAt
		}
		sr.ActualMs = run.ElapsedMs + st.Timer.Elapsed(now).Milliseconds()
		sr.AddedMs = st.Timer.Total().Milliseconds() - sr.PlannedMs
		sr.Status = RunRunning
		if st.Timer.Phase != TimerRunning {
			sr.Status = RunPaused
		}
	case ran:
		sr.ActualStart, sr.ActualMs = run.StartedAt, run.ElapsedMs
		sr.AddedMs = run.PlannedMs - sr.PlannedMs
		sr.Status = RunDone
	default:
		return
	}
	sr.OverMs = sr.ActualMs - sr.PlannedMs - sr.AddedMs
}

func launchReport(l Launch, entries []Entry) LaunchReport {
	lr := LaunchReport{
		Phase: l.Phase, ArmedAt: l.ArmedAt, FiredAt: l.FiredAt, FireAt: l.FireAt, FireID: l.FireID,
		Source: l.Source, Required: l.Required, Presses: append([]Press{}, l.Presses...), Triggers: []Trigger{},
	}
	for _, e := range entries {
		switch e.Command.Type {
		case CmdResetLaunch:
			if e.Answer.Accepted() {
				lr.Triggers, lr.Duplicates, lr.Refused = lr.Triggers[:0], 0, 0
			}
			continue
		case CmdPress, CmdFire:
		default:
			continue
		}
		t := Trigger{At: e.At, Type: e.Command.Type, Role: e.Actor.Role, Name: e.Actor.Name, Button: e.Command.Button, Outcome: e.Answer.Outcome}
		if e.Command.Name != "" {
			t.Name = e.Command.Name
		}
		switch code := ErrorCode(answerErr(e.Answer)); code {
		case "":
		case EDUPLICATE:
			lr.Duplicates++
			t.Outcome = code
		default:
			lr.Refused++
			t.Outcome = code
		}
		lr.Triggers = append(lr.Triggers, t)
	}
	return lr
}
