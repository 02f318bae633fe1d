package controller

import "time"

// View is everything a screen needs to render the live state, without the
// whole rundown (screens that need it, the MC and the editor, read the show
// itself, which changes rarely: see ShowRev).
type View struct {
	Seq       uint64         `json:"seq"`
	Epoch     uint64         `json:"epoch,omitempty"`
	ShowRev   uint64         `json:"showRev"`
	Show      ShowInfo       `json:"show"`
	Current   SegmentView    `json:"current"`
	Next      *SegmentView   `json:"next"`
	Timer     Timer          `json:"timer"`
	Message   Message        `json:"message"`
	Blackout  bool           `json:"blackout"`
	Launch    Launch         `json:"launch"`
	Rehearsal bool           `json:"rehearsal"`
	Runs      map[string]Run `json:"runs"`
	// Plan is the show against its planned clock times, absent for a show
	// without a start time (ViewAt sets it).
	Plan *Plan `json:"plan,omitempty"`
}

// ShowInfo is the show's title block.
type ShowInfo struct {
	Title        string `json:"title"`
	Subtitle     string `json:"subtitle,omitempty"`
	Organizer    string `json:"organizer,omitempty"`
	Venue        string `json:"venue,omitempty"`
	Date         string `json:"date,omitempty"`
	Caption      string `json:"caption,omitempty"`
	SegmentCount int    `json:"segmentCount"`
}

// SegmentView is a segment as a screen draws it, times in milliseconds.
type SegmentView struct {
	Index      int    `json:"index"`
	ID         string `json:"id"`
	Title      string `json:"title"`
	Kind       Kind   `json:"kind"`
	Speaker    string `json:"speaker,omitempty"`
	DurationMs int64  `json:"durationMs"`
	WarnMs     int64  `json:"warnMs"`
	DangerMs   int64  `json:"dangerMs"`
	OnZero     OnZero `json:"onZero"`
	// Media is what the stage screens show: a film, timed by the clock, or
	// a still (issue #16); absent for the segment's slide.
	Media *Media `json:"media,omitempty"`
}

// View derives the screens' view of a snapshot.
func (s Snapshot) View() View {
	sh, st := s.Show, s.State
	v := View{
		Seq: st.Seq, Epoch: st.Epoch, ShowRev: st.ShowRev,
		Show: ShowInfo{
			Title: sh.Title, Subtitle: sh.Subtitle, Organizer: sh.Organizer, Venue: sh.Venue,
			Date: sh.Date, Caption: sh.Launch.Caption, SegmentCount: len(sh.Segments),
		},
		Current: segmentView(sh, st.Current),
		Timer:   st.Timer, Message: st.Message, Blackout: st.Blackout,
		Launch: st.Launch, Rehearsal: st.Rehearsal, Runs: st.Runs,
	}
	if st.Current+1 < len(sh.Segments) {
		n := segmentView(sh, st.Current+1)
		v.Next = &n
	}
	return v
}

// ViewAt is View with the plan measured at now.
func (s Snapshot) ViewAt(now time.Time) View {
	v := s.View()
	if p, ok := PlanAt(s.Show, s.State, now); ok {
		v.Plan = &p
	}
	return v
}

func segmentView(sh *Show, i int) SegmentView {
	g := sh.Segments[i]
	return SegmentView{
		Index: i, ID: g.ID, Title: g.Title, Kind: g.Kind, Speaker: g.Speaker,
		DurationMs: g.durationMs(), WarnMs: int64(g.WarnSec) * 1000,
		DangerMs: int64(g.DangerSec) * 1000, OnZero: g.OnZero, Media: g.Media,
	}
}
