package display

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// Bounds of the fire log.
const (
	maxFires          = 16     // fires remembered, oldest forgotten first
	maxFireReports    = 10_000 // reports kept per fire
	reportBeforeFire  = time.Minute
	reportAfterFireAt = 6 * time.Hour
)

// FireReport is one screen's account of when it started the moment.
type FireReport struct {
	ClientID string `json:"clientId"`
	Role     Role   `json:"role"`
	Name     string `json:"name,omitempty"`
	Addr     string `json:"addr"`
	// StartedAt is the server-time instant (Unix ms) the screen started
	// the animation; LateMs is StartedAt − FireAt.
	StartedAt float64 `json:"startedAt"`
	LateMs    float64 `json:"lateMs"`
	// The screen's clock when it reported; absent if it never said.
	OffsetMs      *float64 `json:"offsetMs,omitempty"`
	RTTMs         *float64 `json:"rttMs,omitempty"`
	UncertaintyMs *float64 `json:"uncertaintyMs,omitempty"`
	// JoinedLate is set for a screen that connected after the fire event
	// went out: it joined the animation part-way and is left out of the
	// spread.
	JoinedLate bool  `json:"joinedLate,omitempty"`
	ReceivedAt int64 `json:"receivedAt"` // Unix ms
}

// FireSummary is the spread of one fire without the per-device reports
// (protocol.FireSummary).
type FireSummary = protocol.FireSummary

// FireSpread is how far apart the screens really started one fire.
type FireSpread struct {
	FireSummary
	Devices []FireReport `json:"devices"`
}

// fireLog keeps the recent fires and their reports.
type fireLog struct {
	mu    sync.Mutex
	fires []*fireRecord // oldest first
}

type fireRecord struct {
	spread FireSpread
	sentAt time.Time // when the fire event was queued; zero if never
	seen   map[string]bool
}

// open starts the record of a fire whose event went out at sentAt to n
// sockets.
func (f *fireLog) open(l controller.Launch, sentAt time.Time, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.fires {
		if r.spread.FireID == l.FireID {
			return
		}
	}
	if len(f.fires) == maxFires {
		f.fires = slices.Delete(f.fires, 0, 1)
	}
	f.fires = append(f.fires, &fireRecord{
		spread: FireSpread{FireSummary: FireSummary{FireID: l.FireID, FireAt: l.FireAt, FiredAt: l.FiredAt, Sockets: n}, Devices: []FireReport{}},
		sentAt: sentAt,
		seen:   map[string]bool{},
	})
}

// report records that c started the fire fireID at startedAt (server
// time). A second report from the same socket is refused.
func (f *fireLog) report(c *client, fireID string, startedAt float64, hl health, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var r *fireRecord
	for _, x := range f.fires {
		if x.spread.FireID == fireID {
			r = x
		}
	}
	if r == nil {
		return controller.Errorf(controller.ENOTFOUND, "no recent fire is called %q", fireID)
	}
	s := &r.spread
	late := startedAt - float64(s.FireAt)
	if late < -float64(reportBeforeFire.Milliseconds()) || late > float64(reportAfterFireAt.Milliseconds()) {
		return controller.FieldError("startedAt", "is %.0f ms from the fire's fireAt; it cannot be a start of this fire", late)
	}
	if r.seen[c.id] {
		return controller.Errorf(controller.EDUPLICATE, "this screen already reported fire %q", fireID)
	}
	if len(s.Devices) >= maxFireReports {
		return controller.Errorf(ETOOLARGE, "fire %q has all the reports it can keep", fireID)
	}
	r.seen[c.id] = true
	rep := FireReport{
		ClientID: c.id, Role: c.role, Name: c.name, Addr: c.addr,
		StartedAt: startedAt, LateMs: late, ReceivedAt: at.UnixMilli(),
		JoinedLate: r.sentAt.IsZero() || c.connectedAt.After(r.sentAt),
	}
	if hl.known {
		rep.OffsetMs, rep.RTTMs, rep.UncertaintyMs = &hl.offset, &hl.rtt, &hl.uncertainty
	}
	s.Devices = append(s.Devices, rep)
	if rep.JoinedLate {
		s.Late++
		return nil
	}
	if s.Reports == 0 {
		s.EarliestMs, s.LatestMs = late, late
	}
	s.Reports++
	s.EarliestMs = math.Min(s.EarliestMs, late)
	s.LatestMs = math.Max(s.LatestMs, late)
	s.SpreadMs = s.LatestMs - s.EarliestMs
	return nil
}

// latest summarizes the most recent fire, or nil.
func (f *fireLog) latest() *FireSummary {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fires) == 0 {
		return nil
	}
	s := f.fires[len(f.fires)-1].spread.FireSummary
	return &s
}

// Fires returns the recent fires, oldest first (the last one is the
// latest fire or rehearsal), each with its spread and its reports.
func (h *Hub) Fires() []FireSpread {
	h.fires.mu.Lock()
	defer h.fires.mu.Unlock()
	out := make([]FireSpread, len(h.fires.fires))
	for i, r := range h.fires.fires {
		out[i] = r.spread
		out[i].Devices = slices.Clone(r.spread.Devices)
	}
	return out
}
