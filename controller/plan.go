package controller

import (
	"fmt"
	"regexp"
	"time"
)

// The plan (issue #18, items 4 and 5): the show's planned start time gives
// every segment a planned clock time; against it the show runs late or
// early, and the segments left get projected clock times.

var startTimePattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// validateStartTime accepts "" (no plan) or a time of day "HH:MM".
func validateStartTime(s string) error {
	if s != "" && !startTimePattern.MatchString(s) {
		return FieldError("startTime", "must be a time of day as HH:MM (00:00 to 23:59), got %q", s)
	}
	return nil
}

// OnTimeTolerance is how far from the plan a show may be and still read as
// on time.
const OnTimeTolerance = time.Minute

// Plan is the show measured against its planned clock times at one
// instant. Times are Unix ms. The current segment's projected end at any
// instant t is max(t+LeftMs, EndAt), so a screen that knows the time can
// bring the drift up to date without asking the server again (Update does
// exactly that).
type Plan struct {
	// At is the instant the drift and the projection were computed.
	At int64 `json:"at"`
	// Starts is every segment's planned start.
	Starts []int64 `json:"starts"`
	// Projected is every segment's start: the actual one for a segment
	// that started (0 for one before the current that never ran), the
	// projected one for the current segment not yet started and the rest.
	Projected []int64 `json:"projected"`
	// Current is the index of the current segment.
	Current int `json:"current"`
	// StartedAt is when the current segment actually started, 0 when its
	// clock has not started.
	StartedAt int64 `json:"startedAt"`
	// PlannedEnd is when the current segment ends by the plan.
	PlannedEnd int64 `json:"plannedEnd"`
	// EndAt and LeftMs give the current segment's projected end.
	EndAt  int64 `json:"endAt"`
	LeftMs int64 `json:"leftMs"`
	// DriftMs is the projected end minus the planned end of the current
	// segment at At: positive when late, negative when early.
	DriftMs int64 `json:"driftMs"`
}

// PlanAt measures the show against its plan at now; ok is false when the
// show has no start time. The planned start is the show's StartTime on the
// day, in now's time zone, whose StartTime is nearest to now (so a show
// that runs past midnight keeps its plan, and one rehearsed the evening
// before reads against the next morning's).
func PlanAt(show *Show, st State, now time.Time) (Plan, bool) {
	first, ok := plannedStart(show.StartTime, now)
	if !ok || len(show.Segments) == 0 {
		return Plan{}, false
	}
	cur := min(max(st.Current, 0), len(show.Segments)-1)
	p := Plan{Current: cur, Starts: make([]int64, len(show.Segments)), Projected: make([]int64, len(show.Segments))}
	at := UnixMs(first)
	for i, g := range show.Segments {
		p.Starts[i] = at
		at += g.durationMs()
	}
	p.PlannedEnd = p.Starts[cur] + show.Segments[cur].durationMs()
	for i := range cur {
		p.Projected[i] = st.Runs[show.Segments[i].ID].StartedAt
	}
	t := st.Timer
	switch t.Phase {
	case TimerRunning:
		zero, _ := t.ZeroAt()
		p.EndAt = UnixMs(zero)
	case TimerPaused:
		p.LeftMs = max(t.Remaining(time.UnixMilli(t.PausedAt)).Milliseconds(), 0)
	case TimerDone:
		// Held at zero: it ends when the MC moves on, from now.
	default: // ready: it starts on time at the earliest, then runs in full
		p.LeftMs = t.Total().Milliseconds()
		p.EndAt = p.Starts[cur] + p.LeftMs
	}
	if t.Phase != TimerReady {
		p.StartedAt = st.Runs[show.Segments[cur].ID].StartedAt
		if p.StartedAt == 0 {
			p.StartedAt = t.StartedAt
		}
	}
	return p.Update(now), true
}

// Update is the plan brought up to date at now: the drift and the projected
// starts of the current segment (when not started) and of the rest.
func (p Plan) Update(now time.Time) Plan {
	ms := UnixMs(now)
	c := p
	c.At = ms
	c.Projected = append([]int64(nil), p.Projected...)
	c.DriftMs = max(ms+p.LeftMs, p.EndAt) - p.PlannedEnd
	if p.Current < len(c.Projected) {
		c.Projected[p.Current] = p.StartedAt
		if p.StartedAt == 0 {
			c.Projected[p.Current] = max(ms, p.Starts[p.Current])
		}
	}
	for i := p.Current + 1; i < len(c.Projected); i++ {
		c.Projected[i] = p.Starts[i] + c.DriftMs
	}
	return c
}

// plannedStart is the instant of the time of day hhmm nearest to now, in
// now's zone.
func plannedStart(hhmm string, now time.Time) (time.Time, bool) {
	var h, m int
	if !startTimePattern.MatchString(hhmm) {
		return time.Time{}, false
	}
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &m); err != nil {
		return time.Time{}, false
	}
	y, mo, d := now.Date()
	best := time.Time{}
	for _, day := range []int{d - 1, d, d + 1} {
		t := time.Date(y, mo, day, h, m, 0, 0, now.Location())
		if best.IsZero() || absDur(t.Sub(now)) < absDur(best.Sub(now)) {
			best = t
		}
	}
	return best, true
}

func absDur(d time.Duration) time.Duration { return max(d, -d) }

// DriftStatus is whether a show runs late, early or on time.
type DriftStatus string

// Drift statuses.
const (
	OnTime DriftStatus = "onTime"
	Late   DriftStatus = "late"
	Early  DriftStatus = "early"
)

// Drift is a drift as people read it: late or early by whole minutes.
type Drift struct {
	Status  DriftStatus `json:"status"`
	Minutes int         `json:"minutes"` // 0 when on time
}

// DriftOf rounds a drift (positive late) to the nearest minute; under
// OnTimeTolerance either way it is on time.
func DriftOf(ms int64) Drift {
	a := max(ms, -ms)
	if a < OnTimeTolerance.Milliseconds() {
		return Drift{Status: OnTime}
	}
	n := int((a + 30_000) / 60_000)
	if ms > 0 {
		return Drift{Status: Late, Minutes: n}
	}
	return Drift{Status: Early, Minutes: n}
}

// Label is the drift in Vietnamese, as the MC and the speaker read it:
// "Đang trễ 3 phút", "Sớm 2 phút" or "Đúng giờ".
func (d Drift) Label() string {
	switch d.Status {
	case Late:
		return fmt.Sprintf("Đang trễ %d phút", d.Minutes)
	case Early:
		return fmt.Sprintf("Sớm %d phút", d.Minutes)
	}
	return "Đúng giờ"
}
