package controller

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Report is what happened during a show, against its plan: per segment the
// planned and actual start and duration, and how the launch went.
type Report struct {
	Title       string          `json:"title"`
	Venue       string          `json:"venue,omitempty"`
	Date        string          `json:"date,omitempty"`
	GeneratedAt int64           `json:"generatedAt"` // Unix ms
	Rehearsal   bool            `json:"rehearsal"`
	Segments    []SegmentReport `json:"segments"`
	Launch      LaunchReport    `json:"launch"`

	loc *time.Location // where "local time" is, for the CSV
}

// Segment statuses in a report.
const (
	RunNotStarted = "not-started"
	RunRunning    = "running"
	RunPaused     = "paused" // paused, or held at zero
	RunDone       = "done"
)

// SegmentReport is one segment of the report. Times are Unix ms, 0 when
// unknown; durations are milliseconds.
type SegmentReport struct {
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Kind    Kind   `json:"kind"`
	Speaker string `json:"speaker,omitempty"`
	// PlannedStart is the actual start of the programme (the first segment
	// after the welcome) plus the planned durations before this segment.
	PlannedStart int64 `json:"plannedStart"`
	PlannedMs    int64 `json:"plannedMs"`
	// AddedMs is the time the operator added (negative: removed).
	AddedMs     int64 `json:"addedMs"`
	ActualStart int64 `json:"actualStart"`
	ActualMs    int64 `json:"actualMs"`
	// OverMs is actual minus (planned plus added): positive is overtime,
	// negative finished early. 0 for a segment that never ran.
	OverMs int64  `json:"overMs"`
	Status string `json:"status"`
}

// LaunchReport is how the launch went.
type LaunchReport struct {
	Phase    LaunchPhase `json:"phase"`
	ArmedAt  int64       `json:"armedAt,omitempty"`
	FiredAt  int64       `json:"firedAt,omitempty"`
	FireAt   int64       `json:"fireAt,omitempty"`
	FireID   string      `json:"fireId,omitempty"`
	Source   string      `json:"source,omitempty"` // "backup" or "button:<id>"
	Required int         `json:"required"`
	Presses  []Press     `json:"presses"`
	// Triggers are every press and fire since the last reset of the
	// launch, accepted or not, oldest first.
	Triggers   []Trigger `json:"triggers"`
	Duplicates int       `json:"duplicates"` // refused as already fired or already counted
	Refused    int       `json:"refused"`    // refused for another reason, e.g. not armed
}

// Trigger is one press or fire from the journal.
type Trigger struct {
	At      int64       `json:"at"`
	Type    CommandType `json:"type"`
	Role    string      `json:"role"`
	Name    string      `json:"name,omitempty"`
	Button  string      `json:"button,omitempty"`
	Outcome string      `json:"outcome"` // counted, fired, or the error code
}

// BuildReport derives the report of a snapshot at now. entries is the
// journal (any superset of its launch entries, oldest first). The running
// segment is measured on its live clock at now; now's location is the local
// time of the CSV.
func BuildReport(snap Snapshot, entries []Entry, now time.Time) Report {
	sh, st := snap.Show, snap.State
	r := Report{
		Title: sh.Title, Venue: sh.Venue, Date: sh.Date, GeneratedAt: UnixMs(now),
		Rehearsal: st.Rehearsal, loc: now.Location(),
		Segments: make([]SegmentReport, len(sh.Segments)),
	}
	anchor := 0
	for anchor < len(sh.Segments)-1 && sh.Segments[anchor].Kind == KindWelcome {
		anchor++
	}
	planned := st.Runs[sh.Segments[anchor].ID].StartedAt
	for i, g := range sh.Segments {
		sr := SegmentReport{
			Index: i, ID: g.ID, Title: g.Title, Kind: g.Kind, Speaker: g.Speaker,
			PlannedMs: int64(g.DurationSec) * 1000, Status: RunNotStarted,
		}
		if i >= anchor && planned != 0 {
			sr.PlannedStart = planned
			planned += sr.PlannedMs
		}
		measure(&sr, st, i, now)
		r.Segments[i] = sr
	}
	r.Launch = launchReport(st.Launch, entries)
	return r
}

// measure fills the actual figures of segment i from its run, and from the
// live clock when it is the current segment and its clock has started.
func measure(sr *SegmentReport, st State, i int, now time.Time) {
	run, ran := st.Runs[sr.ID]
	live := i == st.Current && st.Timer.Phase != TimerReady && (!ran || run.EndedAt == 0)
	switch {
	case live:
		sr.ActualStart = run.StartedAt
		if !ran {
			sr.ActualStart = st.Timer.StartedAt
		}
		sr.ActualMs = run.ElapsedMs + st.Timer.Elapsed(now).Milliseconds()
		sr.AddedMs = st.Timer.Total().Milliseconds() - sr.PlannedMs
		sr.Status = RunRunning
		if st.Timer.Phase != TimerRunning {
			sr.Status = RunPaused
		}
	case ran:
		sr.ActualStart, sr.ActualMs = run.StartedAt, run.ElapsedMs
		sr.AddedMs = run.PlannedMs - sr.PlannedMs
		sr.Status = RunDone
	default:
		return
	}
	sr.OverMs = sr.ActualMs - sr.PlannedMs - sr.AddedMs
}

func launchReport(l Launch, entries []Entry) LaunchReport {
	lr := LaunchReport{
		Phase: l.Phase, ArmedAt: l.ArmedAt, FiredAt: l.FiredAt, FireAt: l.FireAt, FireID: l.FireID,
		Source: l.Source, Required: l.Required, Presses: append([]Press{}, l.Presses...), Triggers: []Trigger{},
	}
	for _, e := range entries {
		switch e.Command.Type {
		case CmdResetLaunch:
			if e.Answer.Accepted() {
				lr.Triggers, lr.Duplicates, lr.Refused = lr.Triggers[:0], 0, 0
			}
			continue
		case CmdPress, CmdFire:
		default:
			continue
		}
		t := Trigger{At: e.At, Type: e.Command.Type, Role: e.Actor.Role, Name: e.Actor.Name, Button: e.Command.Button, Outcome: e.Answer.Outcome}
		if e.Command.Name != "" {
			t.Name = e.Command.Name
		}
		switch code := ErrorCode(answerErr(e.Answer)); code {
		case "":
		case EDUPLICATE:
			lr.Duplicates++
			t.Outcome = code
		default:
			lr.Refused++
			t.Outcome = code
		}
		lr.Triggers = append(lr.Triggers, t)
	}
	return lr
}

// WriteCSV writes the report as CSV for a spreadsheet: a UTF-8 byte order
// mark (so Excel reads the diacritics), a Vietnamese header row, times as
// local HH:MM:SS and durations as mm:ss.
func (r Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("controller: write report: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := [][]string{{"STT", "Mục", "Loại", "Người phụ trách", "Bắt đầu dự kiến", "Thời lượng dự kiến",
		"Thêm giờ", "Bắt đầu thực tế", "Thời lượng thực tế", "Chênh lệch", "Trạng thái"}}
	for _, s := range r.Segments {
		row := []string{strconv.Itoa(s.Index + 1), cell(s.Title), kindLabels[s.Kind], cell(s.Speaker),
			r.clock(s.PlannedStart), mmss(s.PlannedMs, false), "", r.clock(s.ActualStart), "", "", statusLabels[s.Status]}
		if s.AddedMs != 0 {
			row[6] = mmss(s.AddedMs, true)
		}
		if s.Status != RunNotStarted {
			row[8], row[9] = mmss(s.ActualMs, false), mmss(s.OverMs, true)
		}
		rows = append(rows, row)
	}
	l := r.Launch
	rows = append(rows, nil, []string{"Phát động"},
		[]string{"Trạng thái", phaseLabels[l.Phase]},
		[]string{"Kích hoạt lúc", r.clock(l.ArmedAt)},
		[]string{"Phát động lúc", r.clock(l.FiredAt)},
		[]string{"Hiệu ứng bắt đầu lúc", r.clock(l.FireAt)},
		[]string{"Mã lần phát động", l.FireID},
		[]string{"Phát động bởi", sourceLabel(l.Source)},
		[]string{"Số nút cần bấm", strconv.Itoa(l.Required)},
		[]string{"Lượt bấm được tính", strconv.Itoa(len(l.Presses))},
		[]string{"Lượt bấm trùng", strconv.Itoa(l.Duplicates)},
		[]string{"Lượt bấm bị từ chối", strconv.Itoa(l.Refused)},
		nil, []string{"Thời điểm", "Lệnh", "Người gửi", "Nút", "Kết quả"})
	for _, t := range l.Triggers {
		rows = append(rows, []string{r.clock(t.At), string(t.Type), cell(t.Name), cell(t.Button), t.Outcome})
	}
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("controller: write report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("controller: write report: %w", err)
	}
	return nil
}

// clock formats a Unix ms time as local HH:MM:SS, "" for 0.
func (r Report) clock(ms int64) string {
	if ms == 0 {
		return ""
	}
	loc := r.loc
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

var kindLabels = map[Kind]string{
	KindWelcome: "Chào mừng", KindPerformance: "Văn nghệ", KindSpeech: "Phát biểu", KindVideo: "Phóng sự",
	KindLaunch: "Phát động", KindBreak: "Giải lao", KindClosing: "Kết thúc", KindOther: "Khác",
}

var statusLabels = map[string]string{
	RunNotStarted: "Chưa diễn ra", RunRunning: "Đang diễn ra", RunPaused: "Đang tạm dừng", RunDone: "Đã xong",
}

var phaseLabels = map[LaunchPhase]string{
	LaunchIdle: "Chưa kích hoạt", LaunchArmed: "Đã kích hoạt, chờ bấm nút", LaunchFired: "Đã phát động",
}
