package display

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/rundown"
	"github.com/phatdong/phatdong/protocol"
)

// Spreadsheet formats of the show's programme (issue #18): a rundown table
// as CSV or XLSX in, the programme and the report as XLSX out.
const (
	sheetCSV  = "csv"
	sheetXLSX = "xlsx"
	// multipartSlack is what a multipart envelope may add to a file of
	// MaxShowBytes.
	multipartSlack = 64 << 10
)

// ImportBody is the answer of POST /api/v1/show/import: every data row of
// the table as read, every error by row and column, and the show it makes
// (nil while there are errors). Saved tells whether it was put in use;
// State is then the new state, as PUT /api/v1/show answers.
type ImportBody struct {
	ServerTime int64               `json:"serverTime"`
	Lines      []rundown.Line      `json:"lines"`
	Errors     []rundown.CellError `json:"errors"`
	Show       *controller.Show    `json:"show"`
	Saved      bool                `json:"saved"`
	State      *StateBody          `json:"state,omitempty"`
}

// sheetRoutes registers the spreadsheet import.
func (s *Server) sheetRoutes(api *echo.Group) {
	api.POST("/show/import", s.importSheet, noStore, s.requireRole(operatorsOnly))
}

// importSheet answers POST /api/v1/show/import[?dryRun=1][&force=1]. The
// body is a CSV or XLSX file, raw (Content-Type text/csv or the XLSX type)
// or as the "file" field of a multipart form. The programme it holds
// replaces the show's segments; the rest of the show stays. With dryRun
// nothing is saved; without, a table with errors is refused and a good one
// is saved as PUT /api/v1/show saves.
func (s *Server) importSheet(c echo.Context) error {
	dry, err := boolParam(c, "dryRun")
	if err != nil {
		return err
	}
	force, err := boolParam(c, "force")
	if err != nil {
		return err
	}
	format, data, err := readSheet(c)
	if err != nil {
		return err
	}
	tab, show, err := s.sheetShow(format, data)
	if err != nil {
		return err
	}
	body := ImportBody{ServerTime: s.serverTime(), Lines: tab.Lines, Errors: tab.Errors, Show: show}
	if dry {
		return c.JSON(http.StatusOK, body)
	}
	if err := tab.Err(); err != nil {
		return controller.Errorf(controller.EINVALID, "%s", err.Error())
	}
	res, err := s.replaceSheetShow(c, show, force)
	if err != nil {
		return err
	}
	state := s.stateBody(&res.Answer, res.Snapshot)
	body.Saved, body.State, body.Show = true, &state, res.Snapshot.Show
	return c.JSON(http.StatusOK, body)
}

// sheetShow reads a table and applies it to the show in use. The show is
// nil when the table has errors; a file that is no table at all, or a
// programme the show's rules refuse, is an error.
func (s *Server) sheetShow(format string, data []byte) (*rundown.Table, *controller.Show, error) {
	read := rundown.ReadCSV
	if format == sheetXLSX {
		read = rundown.ReadXLSX
	}
	tab, err := read(bytes.NewReader(data))
	if err != nil {
		return nil, nil, controller.Errorf(controller.EINVALID, "%v", err)
	}
	if len(tab.Errors) > 0 {
		return tab, nil, nil
	}
	show, err := rundown.Apply(s.engine.Snapshot().Show, tab.Segments())
	if err != nil {
		return nil, nil, err
	}
	return tab, show, nil
}

// replaceSheetShow saves an imported show through the path PUT
// /api/v1/show takes, from its show file.
func (s *Server) replaceSheetShow(c echo.Context, show *controller.Show, force bool) (controller.Result, error) {
	data, err := show.MarshalIndent()
	if err != nil {
		return controller.Result{}, fmt.Errorf("display: import show: %w", err)
	}
	return s.replaceShow(c, data, force)
}

// sheetBodyFormat tells from a request's Content-Type whether its body is
// a spreadsheet: "csv", "xlsx" or "" for anything else.
func sheetBodyFormat(c echo.Context) string {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	return sheetFormat(mt, "")
}

// sheetFormat names the spreadsheet format of a media type, or failing
// that of a file name's extension.
func sheetFormat(mediaType, name string) string {
	switch mediaType {
	case "text/csv", "application/csv":
		return sheetCSV
	case rundown.XLSXType:
		return sheetXLSX
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return sheetCSV
	case ".xlsx":
		return sheetXLSX
	}
	return ""
}

// sniffSheet tells an untyped upload's format: a workbook is a ZIP
// ("PK\x03\x04"), anything else is read as CSV.
func sniffSheet(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return sheetXLSX
	}
	return sheetCSV
}

// readSheet reads the uploaded table, at most MaxShowBytes, and its format.
func readSheet(c echo.Context) (string, []byte, error) {
	mt, params, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != "multipart/form-data" {
		format := sheetFormat(mt, "")
		if format == "" && mt != "application/octet-stream" {
			return "", nil, controller.Errorf(controller.EINVALID,
				"send the table as text/csv, %s, application/octet-stream or a multipart form (got Content-Type %q)", rundown.XLSXType, mt)
		}
		data, err := readBody(c, MaxShowBytes)
		if format == "" {
			format = sniffSheet(data)
		}
		return format, data, err
	}
	r := c.Request()
	if r.ContentLength > MaxShowBytes+multipartSlack {
		return "", nil, tooLarge(MaxShowBytes)
	}
	mr := multipart.NewReader(io.LimitReader(r.Body, MaxShowBytes+multipartSlack), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return "", nil, controller.Errorf(controller.EINVALID, "the form has no \"file\" field: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		pt, _, _ := mime.ParseMediaType(part.Header.Get(echo.HeaderContentType))
		format := sheetFormat(pt, part.FileName())
		if format == "" && pt != "application/octet-stream" && pt != "" {
			return "", nil, controller.Errorf(controller.EINVALID, "the file %q is neither .csv nor .xlsx", part.FileName())
		}
		data, err := io.ReadAll(io.LimitReader(part, MaxShowBytes+1))
		if format == "" {
			format = sniffSheet(data)
		}
		if err != nil {
			return "", nil, controller.Errorf(controller.EINVALID, "could not read the file: %v", err)
		}
		if len(data) > MaxShowBytes {
			return "", nil, tooLarge(MaxShowBytes)
		}
		return format, data, nil
	}
}

// exportShowSheet answers GET /api/v1/show/export?format=xlsx|csv: the
// programme as a table that POST /api/v1/show/import reads back.
func (s *Server) exportShowSheet(c echo.Context, format string) error {
	show := s.engine.Snapshot().Show
	rows := rundown.ShowRows(show)
	base := slug(show.Title, "chuong-trinh")
	var buf bytes.Buffer
	switch format {
	case sheetXLSX:
		if err := rundown.WriteXLSX(&buf, "Chương trình", rows, []float64{6, 50, 12, 28, 50, 14}); err != nil {
			return fmt.Errorf("display: export show: %w", err)
		}
		attachment(c, base+".xlsx", show.Title+".xlsx")
		return c.Blob(http.StatusOK, rundown.XLSXType, buf.Bytes())
	case sheetCSV:
		if err := rundown.WriteCSV(&buf, rows); err != nil {
			return fmt.Errorf("display: export show: %w", err)
		}
		attachment(c, base+".csv", show.Title+".csv")
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
	return controller.FieldError("format", "must be json, csv or xlsx, got %q", format)
}

// writeReportXLSX answers GET /api/v1/report?format=xlsx: the rows of the
// CSV report in a workbook.
func writeReportXLSX(c echo.Context, r controller.Report, cues []protocol.CueOutcome) error {
	var buf bytes.Buffer
	rows := reportRows(r, cues, time.Local, func(s string) string { return s })
	if err := rundown.WriteXLSX(&buf, "Báo cáo", rows, []float64{6, 40, 14, 24, 12, 12, 10, 12, 12, 10, 16}); err != nil {
		return fmt.Errorf("display: report xlsx: %w", err)
	}
	attachment(c, "bao-cao-"+slug(r.Title, "chuong-trinh")+".xlsx", "Báo cáo - "+r.Title+".xlsx")
	return c.Blob(http.StatusOK, rundown.XLSXType, buf.Bytes())
}

// putSheetShow is PUT /api/v1/show with a CSV or XLSX body: the table is
// imported and saved as POST /api/v1/show/import does; a table with errors
// is refused with the first of them.
func (s *Server) putSheetShow(c echo.Context, format string, force bool) error {
	data, err := readBody(c, MaxShowBytes)
	if err != nil {
		return err
	}
	tab, show, err := s.sheetShow(format, data)
	if err != nil {
		return err
	}
	if err := tab.Err(); err != nil {
		return controller.Errorf(controller.EINVALID, "%s", err.Error())
	}
	res, err := s.replaceSheetShow(c, show, force)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.stateBody(&res.Answer, res.Snapshot))
}
