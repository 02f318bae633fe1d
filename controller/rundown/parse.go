// Package rundown reads a show's programme from a spreadsheet (CSV or
// XLSX) and writes tables back out. Headers are Vietnamese and matched
// without regard to case, diacritics, spacing or order; every error names
// the sheet's row and column.
package rundown

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/phatdong/phatdong/controller"
)

// CellError is a problem with one cell (or one row) of the table.
type CellError struct {
	// Row is the sheet's 1-based row number, as the spreadsheet shows it.
	Row int `json:"row"`
	// Column is the column's Vietnamese label; Key is its stable name.
	Column  string `json:"column"`
	Key     Column `json:"key"`
	Message string `json:"message"`
}

// Error implements error: "Dòng 4, cột Thời lượng: …".
func (e *CellError) Error() string {
	return fmt.Sprintf("Dòng %d, cột %s: %s", e.Row, e.Column, e.Message)
}

// Line is one data row of the table: what it said and what was read.
type Line struct {
	Row int `json:"row"`
	// Cells holds the row's text per column, as written.
	Cells map[Column]string `json:"cells"`
	// Segment is what the row was read as (partial when it has errors).
	Segment controller.Segment `json:"segment"`
}

// Table is the outcome of reading a rundown: every data row and every
// error. Segments are usable only when Errors is empty.
type Table struct {
	Lines  []Line      `json:"lines"`
	Errors []CellError `json:"errors"`
}

// Segments returns the segments read, in table order.
func (t *Table) Segments() []controller.Segment {
	out := make([]controller.Segment, len(t.Lines))
	for i, l := range t.Lines {
		out[i] = l.Segment
	}
	return out
}

// Err returns the first error as an error value, or nil.
func (t *Table) Err() error {
	if len(t.Errors) == 0 {
		return nil
	}
	return &t.Errors[0]
}

// Parse reads rows of cells (the first rows may be a title above the
// header) into segments. Blank rows are skipped. It never fails as a
// whole: problems are in Table.Errors.
func Parse(rows [][]string) *Table {
	t := &Table{Lines: []Line{}, Errors: []CellError{}}
	head, cols, err := findHeader(rows)
	if err != nil {
		t.Errors = append(t.Errors, *err.(*CellError))
		return t
	}
	ids := map[string]bool{}
	for i := head + 1; i < len(rows); i++ {
		line := Line{Row: i + 1, Cells: map[Column]string{}}
		blank := true
		for j, c := range cols {
			if j < len(rows[i]) {
				v := strings.TrimSpace(rows[i][j])
				line.Cells[c] = v
				blank = blank && v == ""
			}
		}
		if blank {
			continue
		}
		if len(t.Lines) == controller.MaxSegments {
			t.addError(line.Row, ColTitle, fmt.Sprintf("bảng có quá %d mục", controller.MaxSegments))
			break
		}
		t.readLine(&line, ids)
		t.Lines = append(t.Lines, line)
	}
	if len(t.Lines) == 0 && len(t.Errors) == 0 {
		t.addError(head+2, ColTitle, "bảng chưa có mục nào")
	}
	return t
}

func (t *Table) addError(row int, c Column, msg string) {
	t.Errors = append(t.Errors, CellError{Row: row, Column: c.Label(), Key: c, Message: msg})
}

// readLine fills line.Segment from its cells.
func (t *Table) readLine(line *Line, ids map[string]bool) {
	g := &line.Segment
	g.Title = oneLine(line.Cells[ColTitle])
	g.Speaker = oneLine(line.Cells[ColSpeaker])
	g.Notes = line.Cells[ColNotes]
	if g.Title == "" {
		t.addError(line.Row, ColTitle, "chưa có nội dung")
	}
	sec, err := ParseDuration(line.Cells[ColDuration])
	if err != nil {
		t.addError(line.Row, ColDuration, err.Error())
	}
	g.DurationSec = sec
	k, err := ParseKind(line.Cells[ColKind])
	if err != nil {
		t.addError(line.Row, ColKind, err.Error())
		k = controller.KindOther
	}
	g.Kind = k
	g.ID = uniqueID(slug(g.Title), ids)
	t.checkText(line.Row, ColTitle, g.Title, controller.MaxTitleLen, false)
	t.checkText(line.Row, ColSpeaker, g.Speaker, controller.MaxTitleLen, false)
	t.checkText(line.Row, ColNotes, g.Notes, controller.MaxNotesLen, true)
}

// checkText refuses what a show file would: text too long, invalid UTF-8,
// control characters (line breaks only in notes).
func (t *Table) checkText(row int, c Column, v string, maxRunes int, lines bool) {
	switch n := utf8.RuneCountInString(v); {
	case !utf8.ValidString(v):
		t.addError(row, c, "có ký tự không hợp lệ (không phải UTF-8)")
	case n > maxRunes:
		t.addError(row, c, fmt.Sprintf("dài %d ký tự, tối đa %d", n, maxRunes))
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\t' || r == '\r')) }):
		t.addError(row, c, "có ký tự điều khiển (xuống dòng chỉ được dùng trong Ghi chú)")
	}
}

// uniqueID makes base unique among ids: "muc", "muc-2", "muc-3"…
func uniqueID(base string, ids map[string]bool) string {
	if base == "" {
		base = "muc"
	}
	id := base
	for n := 2; ids[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	ids[id] = true
	return id
}

// oneLine joins a cell's lines (Alt+Enter in Excel) and runs of spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
