package display_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
)

const smallShow = `{"format":"phatdong-show","version":1,"title":"Lễ tổng duyệt",
 "segments":[
  {"id":"don-tiep","title":"Đón tiếp","kind":"welcome","durationSec":600,"onZero":"hold"},
  {"id":"phat-bieu","title":"Phát biểu","kind":"speech","durationSec":300},
  {"id":"bam-nut","title":"Bấm nút","kind":"launch","durationSec":120}]}`

func TestPutShow(t *testing.T) {
	dupIDs := strings.Replace(smallShow, `"id":"bam-nut"`, `"id":"phat-bieu"`, 1)
	tests := []struct {
		name   string
		setup  []string
		path   string
		body   string
		status int
		code   string
		field  string
	}{
		{name: "replace", path: "/api/v1/show", body: smallShow, status: 200},
		{name: "duplicate ids", path: "/api/v1/show", body: dupIDs, status: 400, code: "invalid", field: "segments[2].id"},
		{name: "unknown field", path: "/api/v1/show", body: strings.Replace(smallShow, `"title":"Lễ`, `"titel":"x","title":"Lễ`, 1),
			status: 400, code: "invalid"},
		{name: "bad start time", path: "/api/v1/show", body: strings.Replace(smallShow, `"title":"Lễ`, `"startTime":"7h30","title":"Lễ`, 1),
			status: 400, code: "invalid", field: "startTime"},
		{name: "not JSON", path: "/api/v1/show", body: "title: Lễ", status: 400, code: "invalid"},
		{name: "while running", setup: []string{`{"type":"start"}`}, path: "/api/v1/show", body: smallShow,
			status: 409, code: "conflict"},
		{name: "while running with force", setup: []string{`{"type":"start"}`}, path: "/api/v1/show?force=1", body: smallShow, status: 200},
		{name: "paused is fine", setup: []string{`{"type":"start"}`, `{"type":"pause"}`}, path: "/api/v1/show", body: smallShow, status: 200},
		{name: "bad force", path: "/api/v1/show?force=yes", body: smallShow, status: 400, code: "invalid", field: "force"},
		{name: "too large", path: "/api/v1/show", body: `{"title":"` + strings.Repeat("x", display.MaxShowBytes) + `"}`,
			status: 413, code: "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			for _, s := range tt.setup {
				f.mustCommand(t, s)
			}
			before := f.engine.Snapshot()
			rec := f.do(t, request{method: http.MethodPut, path: tt.path, token: opToken, body: tt.body})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			after := f.engine.Snapshot()
			if tt.status != http.StatusOK {
				if e := errorOf(t, rec); e.Code != tt.code || tt.field != "" && e.Field != tt.field {
					t.Errorf("error %+v, want code %q field %q", e, tt.code, tt.field)
				}
				if after.Show != before.Show || after.State.Seq != before.State.Seq {
					t.Error("a refused show changed the show or the state")
				}
				return
			}
			body := decode[display.StateBody](t, rec)
			if after.Show.Title != "Lễ tổng duyệt" || body.State.ShowRev != before.State.ShowRev+1 || body.Answer == nil {
				t.Errorf("replaced: %+v", body)
			}
		})
	}
}

func TestGetShowAndExport(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/show"})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := decode[display.ShowBody](t, rec)
	if body.ShowRev != 1 || body.Show == nil || len(body.Show.Segments) != 9 {
		t.Fatalf("show: rev %d, %+v", body.ShowRev, body.Show)
	}

	rec = f.do(t, request{method: http.MethodGet, path: "/api/v1/show/export"})
	if rec.Code != http.StatusOK {
		t.Fatalf("export: status %d", rec.Code)
	}
	cd := rec.Header().Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="le-phat-dong-phong-trao-binh-dan-hoc-vu-so.json"`) || !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("Content-Disposition %q", cd)
	}
	exported, err := controller.ParseShow(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	want, _ := json.Marshal(f.engine.Snapshot().Show)
	got, _ := json.Marshal(exported)
	if string(got) != string(want) {
		t.Errorf("export differs from the show in use")
	}
	// The export is what PUT takes back.
	put := f.do(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: rec.Body.String()})
	if put.Code != http.StatusOK {
		t.Errorf("PUT of the export: %d %s", put.Code, put.Body)
	}
}
