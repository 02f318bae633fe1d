package display

import (
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// maxQuality is the highest quality level of the stage's moment
// (static/js/fire-quality.js).
const maxQuality = 3

// MomentFigures is a screen's account of how smoothly it drew its last
// launch moment (protocol.MomentFigures).
type MomentFigures = protocol.MomentFigures

// handleMomentReport records a screen's frame figures:
// {"type":"report","fps":…,"medianMs":…,"maxGapMs":…,"quality":…}.
func (c *client) handleMomentReport(m protocol.ReportMsg, at time.Time) error {
	if c.role != RoleStage {
		return controller.Errorf(controller.EFORBIDDEN, "only a stage screen reports the moment's frame rate")
	}
	need := []struct {
		name string
		v    *float64
		max  float64
	}{{"fps", m.FPS, 1000}, {"medianMs", m.MedianMs, 60_000}, {"maxGapMs", m.MaxGapMs, 60_000}}
	if m.Quality == nil {
		return controller.FieldError("quality", "a frame report needs fps, medianMs, maxGapMs and quality together")
	}
	for _, f := range need {
		if f.v == nil {
			return controller.FieldError(f.name, "a frame report needs fps, medianMs, maxGapMs and quality together")
		}
		if !finite(*f.v) || *f.v < 0 || *f.v > f.max {
			return controller.FieldError(f.name, "must be a number between 0 and %g", f.max)
		}
	}
	if q := *m.Quality; q < 0 || q > maxQuality {
		return controller.FieldError("quality", "must be a whole level between 0 and %d", maxQuality)
	}
	mf := &MomentFigures{FPS: *m.FPS, MedianMs: *m.MedianMs, MaxGapMs: *m.MaxGapMs, Quality: *m.Quality, ReportedAt: at.UnixMilli()}
	c.mu.Lock()
	c.moment = mf
	c.mu.Unlock()
	c.hub.presence.changed(true)
	return nil
}

// getMoment returns the screen's last frame report, nil before one.
func (c *client) getMoment() *MomentFigures {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.moment
}
