package display

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// writeReportCSV writes a report as CSV for a spreadsheet: a UTF-8 byte
// order mark (so Excel reads the diacritics), a Vietnamese header row, times
// as HH:MM:SS in loc and durations as mm:ss.
func writeReportCSV(w io.Writer, r controller.Report, cues []protocol.CueOutcome, loc *time.Location) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("display: write report: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := reportRows(r, cues, loc, cell)
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("display: write report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("display: write report: %w", err)
	}
	return nil
}

// reportRows lays a report out as the rows of a sheet, shared by the CSV
// and the XLSX report, with how the fire's cues went. text protects free
// text (a CSV keeps a leading "=" from becoming a formula; a workbook
// stores strings as strings).
func reportRows(r controller.Report, cues []protocol.CueOutcome, loc *time.Location, text func(string) string) [][]string {
	cell := text
	at := func(ms int64) string { return clockCell(ms, loc) }
	rows := [][]string{{"STT", "Mục", "Loại", "Người phụ trách", "Bắt đầu dự kiến", "Thời lượng dự kiến",
		"Thêm giờ", "Bắt đầu thực tế", "Thời lượng thực tế", "Chênh lệch", "Trạng thái"}}
	for _, s := range r.Segments {
		row := []string{strconv.Itoa(s.Index + 1), cell(s.Title), kindLabels[s.Kind], cell(s.Speaker),
			at(s.PlannedStart), mmss(s.PlannedMs, false), "", at(s.ActualStart), "", "", statusLabels[s.Status]}
		if s.AddedMs != 0 {
			row[6] = mmss(s.AddedMs, true)
		}
		if s.Status != controller.RunNotStarted {
			row[8], row[9] = mmss(s.ActualMs, false), mmss(s.OverMs, true)
		}
		rows = append(rows, row)
	}
	l := r.Launch
	rows = append(rows, nil, []string{"Phát động"},
		[]string{"Trạng thái", phaseLabels[l.Phase]},
		[]string{"Kích hoạt lúc", at(l.ArmedAt)},
		[]string{"Phát động lúc", at(l.FiredAt)},
		[]string{"Hiệu ứng bắt đầu lúc", at(l.FireAt)},
		[]string{"Mã lần phát động", l.FireID},
		[]string{"Phát động bởi", sourceLabel(l.Source)},
		[]string{"Số nút cần bấm", strconv.Itoa(l.Required)},
		[]string{"Lượt bấm được tính", strconv.Itoa(len(l.Presses))},
		[]string{"Lượt bấm trùng", strconv.Itoa(l.Duplicates)},
		[]string{"Lượt bấm bị từ chối", strconv.Itoa(l.Refused)},
		nil, []string{"Thời điểm", "Lệnh", "Người gửi", "Nút", "Kết quả"})
	for _, t := range l.Triggers {
		rows = append(rows, []string{at(t.At), string(t.Type), cell(t.Name), cell(t.Button), t.Outcome})
	}
	if len(cues) > 0 {
		rows = append(rows, nil, []string{"Tín hiệu ra"}, []string{"Gửi lúc (dự kiến)", "Loại", "Địa chỉ", "Nội dung", "Kết quả"})
		for _, c := range cues {
			what := c.Address
			if c.Kind == "http" {
				what = c.Method
			}
			rows = append(rows, []string{at(c.DueAt), strings.ToUpper(c.Kind), cell(c.Target), cell(what), cueResult(c)})
		}
	}
	if len(r.Servers) > 0 {
		rows = append(rows, nil, []string{"Máy chủ"}, []string{"Thời điểm", "Sự kiện", "Lệnh số", "Người thực hiện", "Ghi chú"})
		for _, e := range r.Servers {
			rows = append(rows, []string{at(e.At), serverEventLabels[e.Type], strconv.FormatUint(e.Seq, 10), cell(e.Actor), cell(e.Note)})
		}
	}
	return rows
}

// cueResult says how a cue went, in Vietnamese.
func cueResult(c protocol.CueOutcome) string {
	switch c.State {
	case protocol.CueSent:
		return "đã gửi (trễ " + strings.Replace(strconv.FormatFloat(c.LateMs, 'f', 1, 64), ".", ",", 1) + " ms)"
	case protocol.CueFailed:
		return "lỗi: " + c.Why
	case protocol.CueSkipped:
		return "bỏ qua khi tập dượt"
	}
	return "chưa gửi"
}

// serverEventLabels name the pair's events in the report.
var serverEventLabels = map[controller.CommandType]string{
	controller.CmdTakeover: "Tiếp quản (máy này thành máy chính)",
	controller.CmdRestore:  "Nhận trạng thái của máy chính",
}

// clockCell formats a Unix ms time as HH:MM:SS in loc (nil: local time),
// "" for 0.
func clockCell(ms int64, loc *time.Location) string {
	if ms == 0 {
		return ""
	}
	if loc == nil {
		loc = time.Local
	}
	return time.UnixMilli(ms).In(loc).Format("15:04:05")
}

// mmss formats a duration as mm:ss (minutes may exceed 59), with a sign
// when signed is set.
func mmss(ms int64, signed bool) string {
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	} else if signed {
		sign = "+"
	}
	s := ms / 1000
	return fmt.Sprintf("%s%02d:%02d", sign, s/60, s%60)
}

// cell keeps text a spreadsheet would read as a formula as plain text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func sourceLabel(src string) string {
	switch {
	case src == "":
		return ""
	case src == "backup":
		return "Nút dự phòng của MC"
	case strings.HasPrefix(src, "button:"):
		return "Nút bấm " + cell(strings.TrimPrefix(src, "button:"))
	}
	return cell(src)
}

var kindLabels = map[controller.Kind]string{
	controller.KindWelcome: "Chào mừng", controller.KindPerformance: "Văn nghệ", controller.KindSpeech: "Phát biểu",
	controller.KindVideo: "Phóng sự", controller.KindLaunch: "Phát động", controller.KindBreak: "Giải lao",
	controller.KindClosing: "Kết thúc", controller.KindOther: "Khác",
}

var statusLabels = map[string]string{
	controller.RunNotStarted: "Chưa diễn ra", controller.RunRunning: "Đang diễn ra",
	controller.RunPaused: "Đang tạm dừng", controller.RunDone: "Đã xong",
}

var phaseLabels = map[controller.LaunchPhase]string{
	controller.LaunchIdle: "Chưa kích hoạt", controller.LaunchArmed: "Đã kích hoạt, chờ bấm nút",
	controller.LaunchFired: "Đã phát động",
}
