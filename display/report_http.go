package display

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// ReportBody is the answer of GET /api/v1/report.
type ReportBody struct {
	ServerTime int64             `json:"serverTime"`
	Report     controller.Report `json:"report"`
	// Fires are the screens' measured start spreads of each fire.
	Fires []FireSpread `json:"fires"`
	// Cues are how the launch's cues went at the report's fire, as this
	// server sent them since it started (Config.Cues); absent otherwise.
	Cues []protocol.CueOutcome `json:"cues,omitempty"`
}

// getReport answers GET /api/v1/report: JSON, or with ?format=csv a CSV
// file for a spreadsheet (?format=xlsx: a workbook).
func (s *Server) getReport(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return controller.FieldError("format", "must be json, csv or xlsx, got %q", format)
	}
	report, err := s.engine.Report()
	if err != nil {
		return fmt.Errorf("display: report: %w", err)
	}
	var cues []protocol.CueOutcome
	if s.cues != nil && report.Launch.FireID != "" {
		cues = s.cues(report.Launch.FireID)
	}
	if format == "" || format == "json" {
		fires := s.hub.Fires()
		if fires == nil {
			fires = []FireSpread{}
		}
		return c.JSON(http.StatusOK, ReportBody{ServerTime: report.GeneratedAt, Report: report, Fires: fires, Cues: cues})
	}
	if format == "xlsx" {
		return writeReportXLSX(c, report, cues)
	}
	var buf bytes.Buffer
	if err := writeReportCSV(&buf, report, cues, time.Local); err != nil {
		return fmt.Errorf("display: report csv: %w", err)
	}
	name := "bao-cao-" + slug(report.Title, "chuong-trinh") + ".csv"
	attachment(c, name, "Báo cáo - "+report.Title+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
