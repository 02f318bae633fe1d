package display_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
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
