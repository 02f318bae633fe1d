package display_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
)

func TestStateBrief(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/state/brief"})
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, cache %q: %s", rec.Code, rec.Header().Get("Cache-Control"), rec.Body)
	}
	b := decode[display.BriefBody](t, rec)
	show := f.engine.Snapshot().Show
	first := show.Segments[0]
	if b.SegmentID != first.ID || b.SegmentTitle != first.Title || b.NextTitle != show.Segments[1].Title ||
		b.TimerPhase != "ready" || b.Running || b.Paused || b.LaunchPhase != "idle" {
		t.Fatalf("brief before the start: %+v", b)
	}
	f.mustCommand(t, `{"type":"next"}`)
	f.mustCommand(t, `{"type":"start"}`)
	f.clock.Advance(10*time.Second + 500*time.Millisecond)
	b = decode[display.BriefBody](t, f.do(t, request{method: http.MethodGet, path: "/api/v1/state/brief"}))
	seg := f.engine.Snapshot().View().Current
	want := seg.DurationMs - 10500
	if !b.Running || b.RemainingMs > want || b.RemainingMs < want-1000 || b.SegmentIndex != 1 {
		t.Fatalf("brief while running: %+v, want remaining about %d ms", b, want)
	}
	f.mustCommand(t, `{"type":"pause"}`)
	b = decode[display.BriefBody](t, f.do(t, request{method: http.MethodGet, path: "/api/v1/state/brief"}))
	if !b.Paused || b.Running || b.TimerPhase != "paused" {
		t.Fatalf("brief while paused: %+v", b)
	}
}

func TestBriefRemaining(t *testing.T) {
	now := time.UnixMilli(1_000_000_000)
	running := func(durationMs, elapsedMs int64) controller.View {
		return controller.View{Timer: controller.Timer{Phase: controller.TimerRunning, StartedAt: now.UnixMilli() - elapsedMs, DurationMs: durationMs}}
	}
	tests := []struct {
		name     string
		v        controller.View
		want     string
		overtime bool
	}{
		{"ready shows the whole", controller.View{Timer: controller.Timer{Phase: controller.TimerReady, DurationMs: 15 * 60_000}}, "15:00", false},
		{"rounds up", running(60_000, 500), "01:00", false},
		{"last second", running(60_000, 59_001), "00:01", false},
		{"zero", running(60_000, 60_000), "00:00", false},
		{"overtime rounds down", running(60_000, 61_999), "+00:01", true},
		{"hours", running(2*3600_000, 0), "2:00:00", false},
	}
	for _, tt := range tests {
		b := display.Brief(tt.v, now)
		if b.Remaining != tt.want || b.Overtime != tt.overtime {
			t.Errorf("%s: remaining %q overtime %v, want %q %v", tt.name, b.Remaining, b.Overtime, tt.want, tt.overtime)
		}
	}
}

// TestCompanionHTTP moves the show as Bitfocus Companion's generic HTTP
// module does: a POST with the operator's token in a header, then reads
// its feedback from the brief state.
func TestCompanionHTTP(t *testing.T) {
	f := newFixture(t)
	for _, body := range []string{`{"type":"next"}`, `{"type":"start"}`, `{"type":"add-time","seconds":60}`, `{"type":"blackout","on":true}`} {
		rec := f.doWith(t, request{method: http.MethodPost, path: "/api/v1/commands", body: body}, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+opToken)
			r.Header.Set("User-Agent", "Companion")
		})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", body, rec.Code, rec.Body)
		}
	}
	b := decode[display.BriefBody](t, f.do(t, request{method: http.MethodGet, path: "/api/v1/state/brief"}))
	if b.SegmentIndex != 1 || !b.Running || !b.Blackout {
		t.Fatalf("brief after Companion's calls: %+v", b)
	}
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/commands", body: `{"type":"next"}`})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "credential") {
		t.Fatalf("without the token: %d %s", rec.Code, rec.Body)
	}
}
