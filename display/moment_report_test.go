package display

import (
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// A stage screen's report of how smoothly it drew the moment reaches the
// device list; bad figures, partial reports and other roles are refused
// and change nothing.
func TestMomentReport(t *testing.T) {
	env := newHubEnv(t, nil)
	stage := env.screen("LED trái")
	presenter := env.join(protocol.HelloMsg{Role: RolePresenter})
	moment := func() *MomentFigures {
		for _, d := range env.hub.Devices() {
			if d.Name == "LED trái" {
				return d.Moment
			}
		}
		return nil
	}
	if moment() != nil {
		t.Fatal("a screen has frame figures before it reported any")
	}
	stage.send(map[string]any{"type": "report", "fps": 58.6, "medianMs": 16.7, "maxGapMs": 33.4, "quality": 3})
	eventually(t, "the frame report", func() bool { return moment() != nil })
	want := MomentFigures{FPS: 58.6, MedianMs: 16.7, MaxGapMs: 33.4, Quality: 3}
	if got := *moment(); got.FPS != want.FPS || got.MedianMs != want.MedianMs || got.MaxGapMs != want.MaxGapMs || got.Quality != want.Quality || got.ReportedAt <= 0 {
		t.Fatalf("moment = %+v, want %+v", got, want)
	}

	for _, tc := range []struct {
		name   string
		report map[string]any
		field  string
	}{
		{"fps missing", map[string]any{"medianMs": 16.7, "maxGapMs": 33, "quality": 3}, "fps"},
		{"negative gap", map[string]any{"fps": 60, "medianMs": 16.7, "maxGapMs": -1, "quality": 3}, "maxGapMs"},
		{"fps too high", map[string]any{"fps": 5000, "medianMs": 16.7, "maxGapMs": 33, "quality": 3}, "fps"},
		{"level above full", map[string]any{"fps": 60, "medianMs": 16.7, "maxGapMs": 33, "quality": 4}, "quality"},
		{"fractional level", map[string]any{"fps": 60, "medianMs": 16.7, "maxGapMs": 33, "quality": 1.5}, "quality"},
		{"not a number", map[string]any{"fps": "60", "medianMs": 16.7, "maxGapMs": 33, "quality": 3}, "fps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.report["type"] = "report"
			stage.send(tc.report)
			m, _ := stage.until("error")
			if m.Error.Code != controller.EINVALID || m.Error.Field != tc.field {
				t.Fatalf("got %+v, want %s on %s", m.Error, controller.EINVALID, tc.field)
			}
		})
	}
	presenter.send(map[string]any{"type": "report", "fps": 10, "medianMs": 100, "maxGapMs": 300, "quality": 0})
	if m, _ := presenter.until("error"); m.Error.Code != controller.EFORBIDDEN {
		t.Fatalf("a presenter's frame report: %+v, want %s", m.Error, controller.EFORBIDDEN)
	}
	if got := *moment(); got.FPS != want.FPS || got.Quality != want.Quality {
		t.Fatalf("refused reports changed the figures to %+v", got)
	}
}
