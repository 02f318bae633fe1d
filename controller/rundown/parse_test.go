package rundown

import (
	"strings"
	"testing"
)

func TestParseHeaders(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		row    []string
	}{
		{"canonical", []string{"STT", "Nội dung", "Thời lượng", "Người thực hiện", "Ghi chú", "Loại"},
			[]string{"1", "Văn nghệ", "15:00", "Tỉnh Đoàn", "Mở màn", "Văn nghệ"}},
		{"case, no diacritics, spacing", []string{"stt", "NOI  DUNG", " thoi luong ", "nguoi thuc hien", "GHI CHU", "loai"},
			[]string{"1", "Văn nghệ", "15:00", "Tỉnh Đoàn", "Mở màn", "Văn nghệ"}},
		{"other order, unit in parentheses, extra column", []string{"Loại", "Ghi chú", "Thời lượng (phút)", "Cột lạ", "Nội dung", "Người thực hiện"},
			[]string{"Văn nghệ", "Mở màn", "15", "bỏ qua", "Văn nghệ", "Tỉnh Đoàn"}},
		{"decomposed Unicode (NFD)", []string{"Nô\u0323i dung", "Thơ\u0300i lươ\u0323ng", "Người thực hiện", "Ghi chú", "Loại"},
			[]string{"Văn nghệ", "15 phút", "Tỉnh Đoàn", "Mở màn", "Văn nghệ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := Parse([][]string{tt.header, tt.row})
			if err := tab.Err(); err != nil {
				t.Fatal(err)
			}
			g := tab.Lines[0].Segment
			if g.Title != "Văn nghệ" || g.DurationSec != 900 || g.Speaker != "Tỉnh Đoàn" || g.Notes != "Mở màn" || g.Kind != "performance" {
				t.Errorf("segment = %+v", g)
			}
			if g.ID != "van-nghe" {
				t.Errorf("id = %q", g.ID)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	head := []string{"STT", "Nội dung", "Thời lượng", "Loại"}
	tests := []struct {
		name string
		rows [][]string
		want []string // Error() of each error, in order
	}{
		{"bad duration at its row and column", [][]string{{"Chương trình"}, {}, head,
			{"1", "Văn nghệ", "15:00", ""}, {"2", "Phát biểu", "mười phút", ""}},
			[]string{`Dòng 5, cột Thời lượng: không đọc được thời lượng "mười phút"`}},
		{"empty title and unknown kind", [][]string{head, {"1", "", "5", "Ăn trưa"}},
			[]string{"Dòng 2, cột Nội dung: chưa có nội dung", `Dòng 2, cột Loại: không rõ loại "Ăn trưa"`}},
		{"missing duration cell", [][]string{head, {"1", "Văn nghệ"}},
			[]string{"Dòng 2, cột Thời lượng: chưa có thời lượng"}},
		{"no header", [][]string{{"a", "b"}, {"c", "d"}},
			[]string{"Dòng 1, cột Nội dung: không tìm thấy dòng tiêu đề"}},
		{"no duration column", [][]string{{"Nội dung", "Ghi chú"}, {"x", "y"}},
			[]string{"Dòng 1, cột Thời lượng: bảng thiếu cột Thời lượng"}},
		{"duplicate column", [][]string{{"Nội dung", "Thời lượng", "Thoi luong"}},
			[]string{"Dòng 1, cột Thời lượng: cột này xuất hiện hai lần (cột B và cột C)"}},
		{"no rows", [][]string{head, {"", "", ""}},
			[]string{"Dòng 2, cột Nội dung: bảng chưa có mục nào"}},
		{"title too long", [][]string{head, {"1", strings.Repeat("a", 201), "5", ""}},
			[]string{"Dòng 2, cột Nội dung: dài 201 ký tự, tối đa 200"}},
		{"control character", [][]string{head, {"1", "a\x07b", "5", ""}},
			[]string{"Dòng 2, cột Nội dung: có ký tự điều khiển"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := Parse(tt.rows)
			if len(tab.Errors) != len(tt.want) {
				t.Fatalf("errors = %v, want %d", tab.Errors, len(tt.want))
			}
			for i, w := range tt.want {
				if got := tab.Errors[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("error %d = %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestParseRowsAndIDs(t *testing.T) {
	tab := Parse([][]string{
		{"Nội dung", "Thời lượng", "Ghi chú"},
		{"Phát biểu", "5", "dòng 1\ndòng 2"},
		{},
		{"Phát  biểu\n của Tỉnh Đoàn", "5", ""},
		{"Phát biểu", "5", ""},
	})
	if err := tab.Err(); err != nil {
		t.Fatal(err)
	}
	var ids, titles []string
	var rows []int
	for _, l := range tab.Lines {
		ids, titles, rows = append(ids, l.Segment.ID), append(titles, l.Segment.Title), append(rows, l.Row)
	}
	if strings.Join(ids, ",") != "phat-bieu,phat-bieu-cua-tinh-doan,phat-bieu-2" {
		t.Errorf("ids = %v", ids)
	}
	if titles[1] != "Phát biểu của Tỉnh Đoàn" {
		t.Errorf("title = %q", titles[1])
	}
	if rows[0] != 2 || rows[1] != 4 || rows[2] != 5 {
		t.Errorf("rows = %v (blank row 3 skipped, numbers as the sheet shows)", rows)
	}
	if n := tab.Lines[0].Segment.Notes; n != "dòng 1\ndòng 2" {
		t.Errorf("notes = %q", n)
	}
}
