package rundown

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// This file is the only one that knows excelize.

// XLSXType is the Content-Type of an Excel workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Unzipped limits: a small upload must not inflate into gigabytes.
const (
	maxUnzipped    = 64 << 20
	maxUnzippedXML = 16 << 20
)

// ReadXLSX reads a rundown from the active sheet of an Excel workbook.
//
// Every cell is read as the text Excel shows for it, then by the same rules
// as CSV. So a time cell (a fraction of a day) formatted mm:ss or [h]:mm:ss
// is its real length, and a cell where someone typed 15:00 (which Excel
// stores as the time of day 15:00, 0.625 of a day, shown as "15:00") is
// fifteen minutes, as it reads on screen and as "15:00" means in a CSV. A
// number cell is minutes. The error is for a file that is not a workbook.
func ReadXLSX(r io.Reader) (*Table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, &fileError{msg: "tệp không phải bảng tính Excel (.xlsx) đọc được", err: err}
	}
	defer f.Close()
	sheet := f.GetSheetName(f.GetActiveSheetIndex())
	if sheet == "" {
		return nil, errors.New("bảng tính không có trang nào")
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, &fileError{msg: fmt.Sprintf("không đọc được trang %q của bảng tính", sheet), err: err}
	}
	return Parse(rows), nil
}

// WriteXLSX writes rows as a one-sheet workbook; the first row is a bold
// header and stays in view when scrolling. widths are column widths in
// characters (0 keeps the default).
func WriteXLSX(w io.Writer, sheet string, rows [][]string, widths []float64) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("rundown: xlsx sheet name: %w", err)
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		addr, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return fmt.Errorf("rundown: xlsx row %d: %w", i+1, err)
		}
		if err := f.SetSheetRow(sheet, addr, &cells); err != nil {
			return fmt.Errorf("rundown: xlsx row %d: %w", i+1, err)
		}
	}
	if len(rows) > 0 && len(rows[0]) > 0 {
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return fmt.Errorf("rundown: xlsx style: %w", err)
		}
		last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
		if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
			return fmt.Errorf("rundown: xlsx style: %w", err)
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("rundown: xlsx panes: %w", err)
		}
	}
	for i, wd := range widths {
		if wd <= 0 {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return fmt.Errorf("rundown: xlsx width: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("rundown: write xlsx: %w", err)
	}
	return nil
}

// fileError is a file that cannot be read: its message is for the operator
// (Vietnamese), the cause stays reachable for logs through Unwrap.
type fileError struct {
	msg string
	err error
}

func (e *fileError) Error() string { return e.msg }
func (e *fileError) Unwrap() error { return e.err }
