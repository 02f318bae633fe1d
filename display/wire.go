package display

import (
	"slices"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// The one place where the domain's values become the wire's
// (package protocol). The domain never imports protocol; the JSON of each
// wire value is byte for byte that of the domain value it comes from, and
// wire_test.go fails when a field of the domain is left out here.

// wireView is the state as screens get it.
func wireView(v controller.View) protocol.View {
	w := protocol.View{
		Seq: v.Seq, Epoch: v.Epoch, ShowRev: v.ShowRev,
		Show: protocol.ShowInfo{
			Title: v.Show.Title, Subtitle: v.Show.Subtitle, Organizer: v.Show.Organizer, Venue: v.Show.Venue,
			Date: v.Show.Date, Caption: v.Show.Caption, SegmentCount: v.Show.SegmentCount,
		},
		Current: wireSegmentView(v.Current),
		Timer: protocol.Timer{
			Phase: protocol.TimerPhase(v.Timer.Phase), StartedAt: v.Timer.StartedAt, PausedAt: v.Timer.PausedAt,
			PausedMs: v.Timer.PausedMs, AddedMs: v.Timer.AddedMs, DurationMs: v.Timer.DurationMs,
		},
		Message:   protocol.Message{Text: v.Message.Text, Blink: v.Message.Blink, At: v.Message.At},
		Blackout:  v.Blackout,
		Launch:    wireLaunch(v.Launch),
		Rehearsal: v.Rehearsal,
	}
	if v.Next != nil {
		n := wireSegmentView(*v.Next)
		w.Next = &n
	}
	w.Plan = wirePlan(v.Plan)
	if v.Runs != nil {
		w.Runs = make(map[string]protocol.Run, len(v.Runs))
		for id, r := range v.Runs {
			w.Runs[id] = protocol.Run{StartedAt: r.StartedAt, EndedAt: r.EndedAt, ElapsedMs: r.ElapsedMs, PlannedMs: r.PlannedMs}
		}
	}
	return w
}

func wireSegmentView(s controller.SegmentView) protocol.SegmentView {
	return protocol.SegmentView{
		Index: s.Index, ID: s.ID, Title: s.Title, Kind: protocol.Kind(s.Kind), Speaker: s.Speaker,
		DurationMs: s.DurationMs, WarnMs: s.WarnMs, DangerMs: s.DangerMs, OnZero: protocol.OnZero(s.OnZero),
		Media: wireMedia(s.Media),
	}
}

// wireMedia is a segment's media as devices see it; nil stays nil.
func wireMedia(m *controller.Media) *protocol.Media {
	if m == nil {
		return nil
	}
	return &protocol.Media{Hash: m.Hash, Kind: string(m.Kind), Type: m.Type, Name: m.Name, Size: m.Size, DurationMs: m.DurationMs}
}

func wireLaunch(l controller.Launch) protocol.Launch {
	w := protocol.Launch{
		Phase: protocol.LaunchPhase(l.Phase), ArmedAt: l.ArmedAt, Required: l.Required, WindowMs: l.WindowMs,
		FireID: l.FireID, FiredAt: l.FiredAt, FireAt: l.FireAt, Source: l.Source,
	}
	if l.Presses != nil {
		w.Presses = make([]protocol.Press, len(l.Presses))
		for i, p := range l.Presses {
			w.Presses[i] = protocol.Press{Button: p.Button, Name: p.Name, PressID: p.PressID, At: p.At}
		}
	}
	return w
}

// wireShow is the rundown as operators and monitors get it; nil stays nil.
func wireShow(s *controller.Show) *protocol.Show {
	if s == nil {
		return nil
	}
	w := &protocol.Show{
		Format: s.Format, Version: s.Version, Title: s.Title, Subtitle: s.Subtitle,
		Organizer: s.Organizer, Venue: s.Venue, Date: s.Date, StartTime: s.StartTime,
		Launch: protocol.LaunchSet{
			RequiredPresses: s.Launch.RequiredPresses, WindowMs: s.Launch.WindowMs,
			LeadMs: s.Launch.LeadMs, Caption: s.Launch.Caption, Cues: wireCues(s.Launch.Cues),
		},
	}
	if s.Segments != nil {
		w.Segments = make([]protocol.Segment, len(s.Segments))
		for i, g := range s.Segments {
			w.Segments[i] = protocol.Segment{
				ID: g.ID, Title: g.Title, Kind: protocol.Kind(g.Kind), DurationSec: g.DurationSec,
				Speaker: g.Speaker, Notes: g.Notes, WarnSec: g.WarnSec, DangerSec: g.DangerSec,
				OnZero: protocol.OnZero(g.OnZero), Media: wireMedia(g.Media),
			}
		}
	}
	return w
}

// wireAnswer is the engine's answer to a command or a press.
func wireAnswer(a controller.Answer) protocol.Answer {
	return protocol.Answer{Seq: a.Seq, Outcome: a.Outcome, Error: wireError(a.Error)}
}

// wireError is a domain error as a device is told it; nil stays nil.
func wireError(e *controller.Error) *protocol.Error {
	if e == nil {
		return nil
	}
	return &protocol.Error{Code: e.Code, Message: e.Message, Field: e.Field}
}

// wirePlan is the plan as devices see it; nil stays nil.
func wirePlan(p *controller.Plan) *protocol.Plan {
	if p == nil {
		return nil
	}
	return &protocol.Plan{
		At: p.At, Starts: p.Starts, Projected: p.Projected, Current: p.Current, StartedAt: p.StartedAt,
		PlannedEnd: p.PlannedEnd, EndAt: p.EndAt, LeftMs: p.LeftMs, DriftMs: p.DriftMs,
	}
}

// wireCues is the launch's cues as the editor reads them back; nil stays
// nil.
func wireCues(cues []controller.Cue) []protocol.Cue {
	if cues == nil {
		return nil
	}
	w := make([]protocol.Cue, len(cues))
	for i, c := range cues {
		w[i] = protocol.Cue{
			Kind: string(c.Kind), Target: c.Target, Address: c.Address, Args: slices.Clone(c.Args),
			Method: c.Method, Body: c.Body, DelayMs: c.DelayMs, SkipRehearsal: c.SkipRehearsal,
		}
	}
	return w
}
