package rundown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// xcell is one cell of a workbook made in a test: a value and optionally
// a built-in (NumFmt) or custom number format.
type xcell struct {
	v      any
	numFmt int
	custom string
}

// makeXLSX builds a workbook whose active sheet holds rows.
func makeXLSX(t *testing.T, rows [][]xcell) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Chương trình"
	if _, err := f.NewSheet(sheet); err != nil {
		t.Fatal(err)
	}
	idx, _ := f.GetSheetIndex(sheet)
	f.SetActiveSheet(idx)
	for i, row := range rows {
		for j, c := range row {
			addr, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(sheet, addr, c.v); err != nil {
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
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sheet, addr, addr, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func text(vs ...string) []xcell {
	out := make([]xcell, len(vs))
	for i, v := range vs {
		out[i] = xcell{v: v}
	}
	return out
}

// TestReadXLSXTimeCells: numeric cells, read as Excel shows them.
func TestReadXLSXTimeCells(t *testing.T) {
	day := 86400.0
	tests := []struct {
		name string
		cell xcell
		want int
	}{
		{"typed 15:00, time of day h:mm", xcell{v: 15.0 / 24, numFmt: 20}, 15 * 60},
		{"time of day h:mm:ss 0:15:00", xcell{v: 900 / day, numFmt: 21}, 15 * 60},
		{"mm:ss", xcell{v: 330 / day, numFmt: 45}, 330},
		{"[h]:mm:ss over an hour", xcell{v: 5400 / day, numFmt: 46}, 5400},
		{"custom [mm]:ss", xcell{v: 75 * 60 / day, custom: "[mm]:ss"}, 75 * 60},
		{"number is minutes", xcell{v: 8}, 8 * 60},
		{"decimal minutes", xcell{v: 7.5}, 450},
		{"text 10 phút", xcell{v: "10 phút"}, 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := makeXLSX(t, [][]xcell{
				{{v: "Lễ phát động"}},
				text("STT", "Nội dung", "Thời lượng"),
				{{v: 1}, {v: "Văn nghệ"}, tt.cell},
			})
			tab, err := ReadXLSX(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Errors) != 0 {
				t.Fatalf("errors: %v (cells %v)", tab.Errors, tab.Lines)
			}
			if got := tab.Lines[0].Segment.DurationSec; got != tt.want {
				t.Errorf("duration = %d s, want %d (cell read as %q)", got, tt.want, tab.Lines[0].Cells[ColDuration])
			}
			if tab.Lines[0].Row != 3 {
				t.Errorf("row = %d, want 3", tab.Lines[0].Row)
			}
		})
	}
}

// A date-time cell is no duration: an error at its row and column.
func TestReadXLSXDateTimeRefused(t *testing.T) {
	data := makeXLSX(t, [][]xcell{
		text("Nội dung", "Thời lượng"),
		{{v: "Văn nghệ"}, {v: 45761.625, numFmt: 22}},
	})
	tab, err := ReadXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Errors) != 1 || !strings.HasPrefix(tab.Errors[0].Error(), "Dòng 2, cột Thời lượng: ") {
		t.Fatalf("errors %v (cell read as %q)", tab.Errors, tab.Lines[0].Cells[ColDuration])
	}
}

func TestReadXLSXNotAWorkbook(t *testing.T) {
	_, err := ReadXLSX(strings.NewReader("STT,Nội dung\n"))
	if err == nil || !strings.Contains(err.Error(), "không phải bảng tính") {
		t.Fatalf("err = %v", err)
	}
}

// TestWriteXLSXRoundTrip: a written table reads back the same.
func TestWriteXLSXRoundTrip(t *testing.T) {
	rows := [][]string{
		{"STT", "Nội dung", "Thời lượng", "Người thực hiện", "Ghi chú", "Loại"},
		{"1", "Văn nghệ chào mừng", "15:00", "Tỉnh Đoàn", "=1+1", "Văn nghệ"},
		{"2", "Bấm nút phát động", "01:30", "", "", "Phát động"},
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "Chương trình", rows, []float64{5, 40}); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Errors) != 0 || len(tab.Lines) != 2 {
		t.Fatalf("errors %v, lines %d", tab.Errors, len(tab.Lines))
	}
	g := tab.Lines[0].Segment
	if g.Title != "Văn nghệ chào mừng" || g.DurationSec != 900 || g.Notes != "=1+1" || g.Speaker != "Tỉnh Đoàn" {
		t.Errorf("segment = %+v", g)
	}
	if k := tab.Lines[1].Segment.Kind; k != "launch" {
		t.Errorf("kind = %q", k)
	}
}
