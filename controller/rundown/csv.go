package rundown

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ReadCSV reads a rundown from CSV: UTF-8, with or without a byte order
// mark (Excel's "CSV UTF-8"), separated by commas, semicolons or tabs
// (whichever the first line uses most). The error is for a file that
// cannot be read as CSV at all; problems with cells are in the Table.
func ReadCSV(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("rundown: read csv: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, errors.New("tệp CSV không phải UTF-8: trong Excel hãy lưu với kiểu \"CSV UTF-8\"")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rows, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("tệp CSV hỏng ở dòng %d: %v", pe.Line, pe.Err)
		}
		return nil, fmt.Errorf("rundown: read csv: %w", err)
	}
	return Parse(rows), nil
}

// separator guesses the field separator from the first line.
func separator(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if m := bytes.Count(first, []byte(string(c))); m > n {
			best, n = c, m
		}
	}
	return best
}

// WriteCSV writes rows as CSV for Excel: a byte order mark, CRLF lines.
func WriteCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("rundown: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("rundown: write csv: %w", err)
	}
	return nil
}
