package rundown

import "fmt"

// Column is one known column of a rundown table.
type Column string

// The columns a rundown table may have. Title and Duration are required.
const (
	ColNumber   Column = "stt"
	ColTitle    Column = "title"
	ColDuration Column = "duration"
	ColSpeaker  Column = "speaker"
	ColNotes    Column = "notes"
	ColKind     Column = "kind"
)

// Columns lists the columns in the order an exported table has them.
var Columns = []Column{ColNumber, ColTitle, ColDuration, ColSpeaker, ColNotes, ColKind}

// Label is the column's Vietnamese header, as errors and exports name it.
func (c Column) Label() string { return labels[c] }

var labels = map[Column]string{
	ColNumber: "STT", ColTitle: "Nội dung", ColDuration: "Thời lượng",
	ColSpeaker: "Người thực hiện", ColNotes: "Ghi chú", ColKind: "Loại",
}

// headerNames are the folded header texts each column is recognised by.
var headerNames = map[string]Column{
	"stt": ColNumber, "tt": ColNumber, "so thu tu": ColNumber, "#": ColNumber,
	"noi dung": ColTitle, "tieu de": ColTitle, "muc": ColTitle, "ten muc": ColTitle, "noi dung chuong trinh": ColTitle,
	"thoi luong": ColDuration, "thoi gian": ColDuration, "thoi luong du kien": ColDuration,
	"nguoi thuc hien": ColSpeaker, "nguoi phu trach": ColSpeaker, "nguoi trinh bay": ColSpeaker, "dien gia": ColSpeaker,
	"ghi chu": ColNotes, "loi dan": ColNotes, "kich ban": ColNotes,
	"loai": ColKind, "hinh thuc": ColKind, "loai muc": ColKind,
}

// headerSearchRows is how many rows from the top may hold the header: a
// sheet often has a title line or two above its table.
const headerSearchRows = 10

// findHeader locates the header row: the first of the top rows naming a
// Title column. It returns the row's index and the column of each cell
// index (unknown headers are left out).
func findHeader(rows [][]string) (int, map[int]Column, error) {
	for i := 0; i < len(rows) && i < headerSearchRows; i++ {
		cols := map[int]Column{}
		seen := map[Column]int{}
		for j, cell := range rows[i] {
			c, ok := headerNames[fold(cell)]
			if !ok {
				continue
			}
			if k, dup := seen[c]; dup {
				return 0, nil, &CellError{Row: i + 1, Column: c.Label(), Key: c,
					Message: fmt.Sprintf("cột này xuất hiện hai lần (cột %s và cột %s)", colName(k), colName(j))}
			}
			seen[c] = j
			cols[j] = c
		}
		if _, ok := seen[ColTitle]; !ok {
			continue
		}
		if _, ok := seen[ColDuration]; !ok {
			return 0, nil, &CellError{Row: i + 1, Column: ColDuration.Label(), Key: ColDuration,
				Message: "bảng thiếu cột Thời lượng"}
		}
		return i, cols, nil
	}
	return 0, nil, &CellError{Row: 1, Column: ColTitle.Label(), Key: ColTitle,
		Message: fmt.Sprintf("không tìm thấy dòng tiêu đề có cột Nội dung và Thời lượng trong %d dòng đầu", headerSearchRows)}
}

// colName is a spreadsheet's name of a 0-based column index: 0 → A, 26 → AA.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
