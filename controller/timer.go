package controller

import "time"

// TimerPhase is whether the current segment's clock is running.
type TimerPhase string

// Timer phases.
const (
	TimerReady   TimerPhase = "ready"   // not started
	TimerRunning TimerPhase = "running" // counting
	TimerPaused  TimerPhase = "paused"  // held by the operator
	TimerDone    TimerPhase = "done"    // reached zero on a segment that holds at zero
)

// Timer is the current segment's clock, stored as absolute server timestamps
// (Unix ms), never as a ticking counter: anyone who knows the time derives
// the remaining time from it, and a restart loses nothing.
type Timer struct {
	Phase TimerPhase `json:"phase"`
	// StartedAt is when the segment's clock was started.
	StartedAt int64 `json:"startedAt"`
	// PausedAt is when the current pause began, 0 when not paused.
	PausedAt int64 `json:"pausedAt"`
	// PausedMs is the total of finished pauses.
	PausedMs int64 `json:"pausedMs"`
	// AddedMs is time added (or removed, when negative) by the operator.
	AddedMs int64 `json:"addedMs"`
	// DurationMs is the planned duration of the segment when the timer was
	// set, copied so a screen needs nothing else to draw the clock.
	DurationMs int64 `json:"durationMs"`
}

// Elapsed is how long the clock has counted at now (pauses excluded).
func (t Timer) Elapsed(now time.Time) time.Duration {
	if t.Phase == TimerReady || t.StartedAt == 0 {
		return 0
	}
	end := UnixMs(now)
	if t.Phase == TimerPaused || t.Phase == TimerDone {
		end = t.PausedAt
	}
	ms := end - t.StartedAt - t.PausedMs
	return time.Duration(max(ms, 0)) * time.Millisecond
}

// Total is the planned duration plus added time.
func (t Timer) Total() time.Duration {
	return time.Duration(t.DurationMs+t.AddedMs) * time.Millisecond
}

// Remaining is the time left at now; negative in overtime.
func (t Timer) Remaining(now time.Time) time.Duration {
	return t.Total() - t.Elapsed(now)
}

// Overtime is how far past zero the clock is at now, or 0.
func (t Timer) Overtime(now time.Time) time.Duration {
	return max(-t.Remaining(now), 0)
}

// ZeroAt is the instant a running clock reaches zero. ok is false when the
// clock is not running.
func (t Timer) ZeroAt() (at time.Time, ok bool) {
	if t.Phase != TimerRunning {
		return time.Time{}, false
	}
	ms := t.StartedAt + t.PausedMs + t.DurationMs + t.AddedMs
	return time.UnixMilli(ms), true
}

// readyTimer is a fresh, unstarted clock for a segment.
func readyTimer(g Segment) Timer {
	return Timer{Phase: TimerReady, DurationMs: g.durationMs()}
}

func (t Timer) start(now int64) Timer {
	return Timer{Phase: TimerRunning, StartedAt: now, DurationMs: t.DurationMs, AddedMs: t.AddedMs}
}

func (t Timer) pause(now int64) Timer {
	t.Phase, t.PausedAt = TimerPaused, now
	return t
}

func (t Timer) resume(now int64) Timer {
	t.PausedMs += now - t.PausedAt
	t.Phase, t.PausedAt = TimerRunning, 0
	return t
}
