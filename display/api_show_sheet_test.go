package display_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/phatdong/phatdong/controller/rundown"
	"github.com/phatdong/phatdong/display"
)

const sheetCSV = "\uFEFFSTT,Nội dung,Thời lượng,Người thực hiện,Loại\r\n" +
	"1,Văn nghệ chào mừng,15:00,Tỉnh Đoàn,Văn nghệ\r\n" +
	"2,Tuyên bố lý do,5 phút,,Phát biểu\r\n" +
	"3,Bấm nút phát động,2,,Phát động\r\n"

const badCSV = "STT,Nội dung,Thời lượng\n1,Văn nghệ,15:00\n2,Phát biểu,mười phút\n3,,5\n"

func xlsxOf(t *testing.T, csv string) string {
	t.Helper()
	tab := [][]string{}
	for _, line := range strings.Split(strings.TrimSpace(strings.TrimPrefix(csv, "\uFEFF")), "\n") {
		tab = append(tab, strings.Split(strings.TrimRight(line, "\r"), ","))
	}
	var buf bytes.Buffer
	if err := rundown.WriteXLSX(&buf, "Chương trình", tab, nil); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// multipartOf wraps a file as the "file" field of a form.
func multipartOf(t *testing.T, name, ctype, data string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", ctype)
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte(data))
	w.Close()
	return buf.String(), w.FormDataContentType()
}

func TestImportSheet(t *testing.T) {
	form, formType := multipartOf(t, "chuong-trinh.xlsx", "application/octet-stream", xlsxOf(t, sheetCSV))
	tests := []struct {
		name   string
		path   string
		ctype  string
		body   string
		token  string
		status int
		errors []string // the table's errors
		saved  bool
	}{
		{"dry run csv", "/api/v1/show/import?dryRun=1", "text/csv", sheetCSV, opToken, 200, nil, false},
		{"dry run with errors", "/api/v1/show/import?dryRun=1", "text/csv; charset=utf-8", badCSV, opToken, 200,
			[]string{`Dòng 3, cột Thời lượng: không đọc được thời lượng "mười phút"`, "Dòng 4, cột Nội dung: chưa có nội dung"}, false},
		{"save csv", "/api/v1/show/import", "text/csv", sheetCSV, opToken, 200, nil, true},
		{"save xlsx", "/api/v1/show/import", rundown.XLSXType, xlsxOf(t, sheetCSV), opToken, 200, nil, true},
		{"untyped xlsx, sniffed", "/api/v1/show/import?dryRun=1", "application/octet-stream", xlsxOf(t, sheetCSV), opToken, 200, nil, false},
		{"untyped csv, sniffed", "/api/v1/show/import?dryRun=1", "application/octet-stream", sheetCSV, opToken, 200, nil, false},
		{"save multipart xlsx by name", "/api/v1/show/import", formType, form, opToken, 200, nil, true},
		{"save with errors refused", "/api/v1/show/import", "text/csv", badCSV, opToken, 400, nil, false},
		{"xlsx that is not", "/api/v1/show/import?dryRun=1", rundown.XLSXType, "PK not a zip", opToken, 400, nil, false},
		{"other type", "/api/v1/show/import", "application/json", "{}", opToken, 400, nil, false},
		{"no token", "/api/v1/show/import", "text/csv", sheetCSV, "", 401, nil, false},
		{"too large", "/api/v1/show/import", "text/csv", "Nội dung,Thời lượng\n" + strings.Repeat("x", display.MaxShowBytes), opToken, 413, nil, false},
		{"bad dryRun", "/api/v1/show/import?dryRun=yes", "text/csv", sheetCSV, opToken, 400, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			before := f.engine.Snapshot()
			rec := f.doWith(t, request{method: http.MethodPost, path: tt.path, token: tt.token, body: tt.body},
				func(r *http.Request) { r.Header.Set("Content-Type", tt.ctype) })
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			after := f.engine.Snapshot()
			if !tt.saved && after.Show != before.Show {
				t.Fatal("the show changed")
			}
			if rec.Code != http.StatusOK {
				if e := errorOf(t, rec); tt.status == 400 && e.Code != "invalid" {
					t.Errorf("error %+v", e)
				}
				return
			}
			body := decode[display.ImportBody](t, rec)
			if len(body.Errors) != len(tt.errors) {
				t.Fatalf("errors %v, want %v", body.Errors, tt.errors)
			}
			for i, w := range tt.errors {
				if got := body.Errors[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("error %q, want %q", got, w)
				}
			}
			if tt.errors != nil {
				if body.Show != nil || len(body.Lines) != 3 {
					t.Errorf("show %v, %d lines", body.Show, len(body.Lines))
				}
				return
			}
			if body.Saved != tt.saved || body.Show == nil || len(body.Show.Segments) != 3 {
				t.Fatalf("saved %v, show %+v", body.Saved, body.Show)
			}
			g := body.Show.Segments
			if g[0].DurationSec != 900 || g[1].DurationSec != 300 || g[2].DurationSec != 120 || g[2].Kind != "launch" || g[0].Speaker != "Tỉnh Đoàn" {
				t.Errorf("segments %+v", g)
			}
			if body.Show.Title != before.Show.Title || !reflect.DeepEqual(body.Show.Launch, before.Show.Launch) {
				t.Error("the import changed more than the programme")
			}
			if tt.saved && (len(after.Show.Segments) != 3 || after.State.ShowRev != before.State.ShowRev+1 || body.State == nil) {
				t.Errorf("not saved: rev %d, %d segments", after.State.ShowRev, len(after.Show.Segments))
			}
		})
	}
}

func TestPutShowSheet(t *testing.T) {
	for name, tc := range map[string]struct{ ctype, body string }{
		"csv":  {"text/csv", sheetCSV},
		"xlsx": {rundown.XLSXType, xlsxOf(t, sheetCSV)},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			rec := f.doWith(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: tc.body},
				func(r *http.Request) { r.Header.Set("Content-Type", tc.ctype) })
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if s := f.engine.Snapshot().Show; len(s.Segments) != 3 || s.Segments[1].Title != "Tuyên bố lý do" {
				t.Errorf("show %+v", s.Segments)
			}
		})
	}
	f := newFixture(t)
	before := f.engine.Snapshot().Show
	rec := f.doWith(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: badCSV},
		func(r *http.Request) { r.Header.Set("Content-Type", "text/csv") })
	if e := errorOf(t, rec); rec.Code != 400 || !strings.HasPrefix(e.Message, "Dòng 3, cột Thời lượng") {
		t.Errorf("status %d, error %+v", rec.Code, e)
	}
	if f.engine.Snapshot().Show != before {
		t.Error("a refused table changed the show")
	}
}

// TestExportShowSheet: the exported programme imports back unchanged.
func TestExportShowSheet(t *testing.T) {
	f := newFixture(t)
	show := f.engine.Snapshot().Show
	for _, format := range []string{"xlsx", "csv"} {
		rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/show/export?format=" + format})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", format, rec.Code)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "."+format) {
			t.Errorf("%s: Content-Disposition %q", format, cd)
		}
		read := rundown.ReadCSV
		if format == "xlsx" {
			read = rundown.ReadXLSX
		}
		tab, err := read(rec.Body)
		if err != nil || tab.Err() != nil {
			t.Fatalf("%s: %v %v", format, err, tab.Err())
		}
		for i, g := range tab.Segments() {
			w := show.Segments[i]
			if g.Title != w.Title || g.DurationSec != w.DurationSec || g.Kind != w.Kind {
				t.Errorf("%s: row %d %+v, want %+v", format, i, g, w)
			}
		}
	}
	if rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/show/export?format=ods"}); rec.Code != 400 {
		t.Errorf("format=ods: status %d", rec.Code)
	}
}

func TestReportXLSX(t *testing.T) {
	f := newFixture(t)
	f.mustCommand(t, `{"type":"start"}`)
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/report?format=xlsx"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != rundown.XLSXType {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	x, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Báo cáo")
	if err != nil {
		t.Fatal(err)
	}
	first := f.engine.Snapshot().Show.Segments[0]
	if rows[0][0] != "STT" || rows[1][1] != first.Title || rows[1][10] != "Đang diễn ra" {
		t.Errorf("rows %q", rows[:2])
	}
}
