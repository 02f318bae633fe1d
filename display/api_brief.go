package display

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
)

// BriefBody is the answer of GET /api/v1/state/brief: the live state as
// flat fields, for a control surface's feedback (Bitfocus Companion's
// generic HTTP module reads one JSON path per variable).
type BriefBody struct {
	ServerTime   int64  `json:"serverTime"`
	Seq          uint64 `json:"seq"`
	SegmentIndex int    `json:"segmentIndex"` // from 0
	SegmentID    string `json:"segmentId"`
	SegmentTitle string `json:"segmentTitle"`
	NextTitle    string `json:"nextTitle"` // "" after the last segment
	// Remaining is the clock as the screens draw it: "mm:ss" (or
	// "h:mm:ss"), "+mm:ss" in overtime. RemainingMs is negative in
	// overtime.
	Remaining   string `json:"remaining"`
	RemainingMs int64  `json:"remainingMs"`
	Overtime    bool   `json:"overtime"`
	TimerPhase  string `json:"timerPhase"` // ready, running, paused, done
	Running     bool   `json:"running"`
	Paused      bool   `json:"paused"`
	LaunchPhase string `json:"launchPhase"` // idle, armed, fired
	Rehearsal   bool   `json:"rehearsal"`
	Blackout    bool   `json:"blackout"`
	Message     string `json:"message"`
}

// getStateBrief answers GET /api/v1/state/brief; like GET /api/v1/state
// it needs no credential.
func (s *Server) getStateBrief(c echo.Context) error {
	return c.JSON(http.StatusOK, Brief(s.engine.Snapshot().View(), s.engine.Now()))
}

// Brief flattens a view at now (server time).
func Brief(v controller.View, now time.Time) BriefBody {
	rem := v.Timer.Remaining(now)
	b := BriefBody{
		ServerTime: controller.UnixMs(now), Seq: v.Seq,
		SegmentIndex: v.Current.Index, SegmentID: v.Current.ID, SegmentTitle: v.Current.Title,
		Remaining: fmtRemaining(rem), RemainingMs: rem.Milliseconds(), Overtime: rem < 0,
		TimerPhase: string(v.Timer.Phase), Running: v.Timer.Phase == controller.TimerRunning,
		Paused: v.Timer.Phase == controller.TimerPaused, LaunchPhase: string(v.Launch.Phase),
		Rehearsal: v.Rehearsal, Blackout: v.Blackout, Message: v.Message.Text,
	}
	if v.Next != nil {
		b.NextTitle = v.Next.Title
	}
	return b
}

// fmtRemaining writes a countdown as the screens do (static/js/util.js):
// seconds rounded up while counting down, so "00:01" lasts to the end,
// and down in overtime, after a "+".
func fmtRemaining(d time.Duration) string {
	sign, secs := "", (d.Milliseconds()+999)/1000
	if d < 0 {
		sign, secs = "+", -d.Milliseconds()/1000
	}
	h, m, sec := secs/3600, secs%3600/60, secs%60
	if h > 0 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, h, m, sec)
	}
	return fmt.Sprintf("%s%02d:%02d", sign, m, sec)
}
