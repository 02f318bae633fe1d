package display_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/protocol"
)

func TestReportHTTP(t *testing.T) {
	f := newFixture(t)
	f.mustCommand(t, `{"type":"start"}`)
	f.clock.Advance(10 * time.Minute)
	f.mustCommand(t, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	f.mustCommand(t, `{"type":"arm"}`)
	f.clock.Advance(30 * time.Second)
	f.mustCommand(t, `{"type":"fire"}`)
	if rec := f.command(t, `{"type":"fire"}`); rec.Code != http.StatusConflict {
		t.Fatalf("second fire: %d", rec.Code)
	}

	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/report"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := decode[display.ReportBody](t, rec)
	r := body.Report
	if len(r.Segments) != 9 || r.Segments[0].ActualMs != 600_000 || r.Segments[6].Status != controller.RunRunning {
		t.Errorf("segments: %+v", r.Segments)
	}
	if r.Launch.Phase != controller.LaunchFired || r.Launch.Source != "backup" || r.Launch.Duplicates != 1 || len(r.Launch.Triggers) != 2 {
		t.Errorf("launch: %+v", r.Launch)
	}
	if body.Fires == nil {
		t.Error("fires should be a list, even empty")
	}

	rec = f.do(t, request{method: http.MethodGet, path: "/api/v1/report?format=csv"})
	if rec.Code != http.StatusOK {
		t.Fatalf("csv: status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="bao-cao-le-phat-dong`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	csv := rec.Body.String()
	if !strings.HasPrefix(csv, "\uFEFFSTT,Mục,Loại,") {
		t.Errorf("no BOM and Vietnamese header: %.80q", csv)
	}
	for _, want := range []string{"Đón tiếp đại biểu", "Bấm nút phát động", "Đã phát động", "Nút dự phòng của MC"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}

	rec = f.do(t, request{method: http.MethodGet, path: "/api/v1/report?format=ods"})
	if rec.Code != http.StatusBadRequest || errorOf(t, rec).Field != "format" {
		t.Errorf("unknown format: %d %s", rec.Code, rec.Body)
	}
}

// The report carries how the cues of its fire went (Config.Cues, asked
// for that fire), in the JSON and as a section of the CSV.
func TestReportCarriesTheCues(t *testing.T) {
	var asked []string
	f := newFixtureWith(t, io.Discard, func(c *display.Config) {
		c.Cues = func(fireID string) []protocol.CueOutcome {
			asked = append(asked, fireID)
			return []protocol.CueOutcome{{Index: 0, Kind: "osc", Target: "10.0.0.5:53000", Address: "/go", State: protocol.CueFailed,
				Reason: protocol.CueRefused, Why: "thiết bị từ chối kết nối"}}
		}
	})
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/report"})
	if body := decode[display.ReportBody](t, rec); body.Cues != nil || len(asked) != 0 {
		t.Fatalf("before any fire: cues %+v, asked for %q", body.Cues, asked)
	}
	f.mustCommand(t, `{"type":"arm"}`)
	f.mustCommand(t, `{"type":"fire"}`)
	fireID := f.engine.Snapshot().State.Launch.FireID
	body := decode[display.ReportBody](t, f.do(t, request{method: http.MethodGet, path: "/api/v1/report"}))
	if len(body.Cues) != 1 || body.Cues[0].Why != "thiết bị từ chối kết nối" || len(asked) != 1 || asked[0] != fireID {
		t.Fatalf("cues %+v, asked for %q; want the fire %s's", body.Cues, asked, fireID)
	}
	csv := f.do(t, request{method: http.MethodGet, path: "/api/v1/report?format=csv"}).Body.String()
	if !strings.Contains(csv, "OSC,10.0.0.5:53000,/go,lỗi: thiết bị từ chối kết nối") {
		t.Errorf("the CSV report lacks the cue:\n%s", csv)
	}
}
