package pagetest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/phatdong/phatdong/static/browsertest"
)

// planCell is one cell of the test workbook: a value and, for a numeric
// time cell, its number format (a built-in id or a custom code).
type planCell struct {
	v      any
	numFmt int
	custom string
}

// planRows is the programme of the plan (shared/seed/ke-hoach-le-phat-dong,
// part II.4) as an organiser would type it in Excel: a title line above the
// header, durations written every way a sheet holds them. badDuration
// replaces the first duration with text that is no duration.
func planRows(badDuration bool) [][]planCell {
	day := 86400.0
	first := planCell{v: 15.0 / 24, numFmt: 20} // typed "15:00": Excel keeps 15:00 o'clock, h:mm
	if badDuration {
		first = planCell{v: "mười lăm phút"}
	}
	t := func(s string) planCell { return planCell{v: s} }
	return [][]planCell{
		{t("Chương trình Lễ phát động phong trào “Bình dân học vụ số”")},
		{t("STT"), t("Nội dung"), t("Thời lượng"), t("Người thực hiện"), t("Loại"), t("Ghi chú")},
		{{v: 1}, t("Văn nghệ chào mừng"), first, t("Tỉnh Đoàn"), t("Văn nghệ"), t("Không quá 15 phút")},
		{{v: 2}, t("Tuyên bố lý do, giới thiệu đại biểu"), t("5 phút"), t("Người dẫn chương trình"), t("Phát biểu"), t("")},
		{{v: 3}, t("Chiếu phóng sự tổng quan về Chuyển đổi số"), {v: 10}, t("Đài PT-TH và Báo Bình Phước"), t("Phóng sự"), t("8 - 10 phút")},
		{{v: 4}, t("Phát biểu chỉ đạo và Phát động phong trào của Lãnh đạo UBND tỉnh"), {v: 12 * 60 / day, custom: "[mm]:ss"}, t("Lãnh đạo UBND tỉnh"), t("Phát biểu"), t("")},
		{{v: 5}, t("Phát biểu hưởng ứng phong trào của Tỉnh Đoàn"), t("07:00"), t("Tỉnh Đoàn"), t("Phát biểu"), t("")},
		{{v: 6}, t("Bấm nút Phát động phong trào “Bình dân học vụ số”"), t("3 phút"), t("Lãnh đạo tỉnh"), t("Phát động"), t("")},
		{{v: 7}, t("Kết thúc Lễ phát động"), {v: 2}, t("Người dẫn chương trình"), t("Kết thúc"), t("")},
		{{v: 8}, t("Triển khai tập huấn kỹ năng số, AI"), {v: 3600 / day, numFmt: 21}, t("Giảng viên"), t("Khác"), t("")},
	}
}

// writePlanXLSX writes rows as a workbook in a temporary file.
func writePlanXLSX(t *testing.T, name string, rows [][]planCell) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		for j, c := range row {
			addr, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", addr, c.v); err != nil {
				t.Fatal(err)
			}
			if c.numFmt == 0 && c.custom == "" {
				continue
			}
			st := &excelize.Style{NumFmt: c.numFmt}
			if c.custom != "" {
				st.CustomNumFmt = &c.custom
			}
			id, err := f.NewStyle(st)
			if err == nil {
				err = f.SetCellStyle("Sheet1", addr, addr, id)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// The plan's programme typed in Excel: a bad cell is shown at its row and
// column and nothing is saved; the good file is previewed, saved, and the
// editor then shows its durations.
func TestEditorImportSheet(t *testing.T) {
	s := startServer(t)
	before := s.engine.Snapshot().Show
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1600, 1000)
	ed.wait(`document.querySelectorAll(".seg").length === 9`, 10*time.Second, `document.body.innerText.slice(0, 200)`)

	// A cell Excel could not read as a duration: its row and column are named
	// and highlighted, and there is nothing to save.
	bad := writePlanXLSX(t, "ke-hoach-sai.xlsx", planRows(true))
	ed.do(chromedp.SetUploadFiles(chromedp.ID("ed-sheet-file"), []string{bad}))
	ed.wait(`document.getElementById("ed-sheet-errors")`, 10*time.Second, `document.getElementById("ed-sheet-panel").innerText`)
	if e := ed.text("ed-sheet-errors"); !strings.Contains(e, `Dòng 3, cột Thời lượng: không đọc được thời lượng "mười lăm phút"`) {
		t.Errorf("errors: %q", e)
	}
	if got := eval[string](ed, `[...document.querySelectorAll("#ed-sheet-table td.bad")].map(td => td.closest("tr").dataset.row + ":" + td.dataset.key).join(",")`); got != "3:duration" {
		t.Errorf("highlighted cells %q, want 3:duration", got)
	}
	if eval[bool](ed, `Boolean(document.getElementById("ed-sheet-save"))`) {
		t.Error("a table with errors can be saved")
	}
	if s.engine.Snapshot().Show != before {
		t.Fatal("the preview changed the show")
	}

	// The good file: previewed, then saved.
	good := writePlanXLSX(t, "ke-hoach.xlsx", planRows(false))
	ed.do(chromedp.SetUploadFiles(chromedp.ID("ed-sheet-file"), []string{good}))
	ed.wait(`document.getElementById("ed-sheet-summary")`, 10*time.Second, `document.getElementById("ed-sheet-panel").innerText`)
	if sum := ed.text("ed-sheet-summary"); !strings.HasPrefix(sum, "8 mục · tổng 1:54:00") {
		t.Errorf("summary %q", sum)
	}
	if got := eval[string](ed, `[...document.querySelectorAll("#ed-sheet-table td.sh-duration")].map(td => td.textContent).join(",")`); got != "15:00,5:00,10:00,12:00,7:00,3:00,2:00,1:00:00" {
		t.Errorf("previewed durations %q", got)
	}
	if s.engine.Snapshot().Show != before {
		t.Fatal("the preview changed the show")
	}
	ed.click("ed-sheet-save")
	ed.wait(`document.querySelectorAll(".seg").length === 8 && document.getElementById("ed-sheet-panel").hidden`, 10*time.Second,
		`document.querySelectorAll(".seg").length + " " + document.getElementById("ed-sheet-panel").innerText`)
	got := eval[string](ed, `[...document.querySelectorAll('[data-path$=".durationSec"]')].map(i => i.value).join(",")`)
	if got != "15:00,5:00,10:00,12:00,7:00,3:00,2:00,1:00:00" {
		t.Errorf("the editor's durations %q", got)
	}
	show := s.engine.Snapshot().Show
	want := []int{900, 300, 600, 720, 420, 180, 120, 3600}
	for i, g := range show.Segments {
		if g.DurationSec != want[i] {
			t.Errorf("saved segment %d %q: %d s, want %d", i, g.Title, g.DurationSec, want[i])
		}
	}
	if show.Segments[0].ID != "van-nghe" { // the default show's segment of that title
		t.Errorf("the first segment's id %q, want the show's van-nghe", show.Segments[0].ID)
	}
	if show.Segments[5].Kind != "launch" || show.Title != before.Title {
		t.Errorf("launch segment kind %q, title %q", show.Segments[5].Kind, show.Title)
	}
	if href := eval[string](ed, `document.getElementById("ed-export-xlsx").getAttribute("href")`); href != "/api/v1/show/export?format=xlsx" {
		t.Errorf("Excel export link %q", href)
	}
	ed.checkConsole()
}
