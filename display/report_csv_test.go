package display

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

var ict = time.FixedZone("ICT", 7*3600)

// csvReport is a report of a short show: the welcome ran 50 s of 60, the
// talk has run 122 s of 100, the launch fired by the MC's backup.
func csvReport() controller.Report {
	t0 := time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC)
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	return controller.Report{
		Title: "Lễ thử", GeneratedAt: ms(172 * time.Second),
		Segments: []controller.SegmentReport{
			{Index: 0, ID: "intro", Title: "Đón tiếp", Kind: controller.KindWelcome, PlannedMs: 60_000,
				ActualStart: ms(0), ActualMs: 50_000, OverMs: -10_000, Status: controller.RunDone},
			{Index: 1, ID: "talk", Title: "Phát biểu", Kind: controller.KindSpeech, PlannedStart: ms(50 * time.Second),
				PlannedMs: 100_000, ActualStart: ms(50 * time.Second), ActualMs: 122_000, OverMs: 22_000, Status: controller.RunRunning},
			{Index: 2, ID: "video", Title: "Phóng sự", Kind: controller.KindVideo, PlannedStart: ms(150 * time.Second),
				PlannedMs: 30_000, Status: controller.RunNotStarted},
		},
		Launch: controller.LaunchReport{
			Phase: controller.LaunchFired, ArmedAt: ms(51 * time.Second), FiredAt: ms(52 * time.Second),
			FireAt: ms(52*time.Second + 250*time.Millisecond), FireID: "f3", Source: "backup", Required: 1,
			Triggers: []controller.Trigger{{At: ms(52 * time.Second), Type: controller.CmdFire, Role: "operator", Name: "MC", Outcome: controller.OutcomeFired}},
		},
	}
}

func TestReportCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := writeReportCSV(&buf, csvReport(), nil, ict); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatal("no UTF-8 byte order mark")
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	rd.FieldsPerRecord = -1 // the launch section has fewer columns
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		row, col int
		want     string
	}{
		{0, 1, "Mục"},
		{0, 4, "Bắt đầu dự kiến"},
		{1, 1, "Đón tiếp"},
		{1, 2, "Chào mừng"},
		{1, 4, ""},
		{1, 7, "15:00:00"}, // 08:00 UTC is 15:00 in Vietnam
		{1, 8, "00:50"},
		{1, 9, "-00:10"},
		{1, 10, "Đã xong"},
		{2, 1, "Phát biểu"},
		{2, 4, "15:00:50"},
		{2, 5, "01:40"},
		{2, 8, "02:02"},
		{2, 9, "+00:22"},
		{2, 10, "Đang diễn ra"},
		{3, 4, "15:02:30"},
		{3, 8, ""},
		{3, 10, "Chưa diễn ra"},
	}
	for _, tt := range tests {
		if got := rows[tt.row][tt.col]; got != tt.want {
			t.Errorf("row %d col %d: %q, want %q", tt.row, tt.col, got, tt.want)
		}
	}
	for _, want := range []string{"Đã phát động", "Nút dự phòng của MC", "Kích hoạt lúc,15:00:51", "15:00:52,fire,MC,,fired"} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("rows do not end in CRLF")
	}
}

func TestReportCSVEscapesFormulas(t *testing.T) {
	r := csvReport()
	r.Segments[1].Title = "=HYPERLINK(\"http://x\")"
	r.Launch.Source = "button:@nut"
	var buf bytes.Buffer
	if err := writeReportCSV(&buf, r, nil, ict); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, "Nút bấm '@nut"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("a formula was not neutralised (want %q):\n%s", want, buf.String())
		}
	}
}

// The report lists how the fire's cues went, one row each, in Vietnamese.
func TestReportCSVListsTheCues(t *testing.T) {
	due := time.Date(2025, 4, 14, 8, 0, 52, 250_000_000, time.UTC).UnixMilli()
	cues := []protocol.CueOutcome{
		{Index: 0, Kind: "osc", Target: "10.0.0.5:53000", Address: "/cue/1/start", DueAt: due, State: protocol.CueSent, LateMs: 1.25},
		{Index: 1, Kind: "http", Target: "http://10.0.0.9:8000/press", Method: "POST", DueAt: due + 500, State: protocol.CueFailed,
			Reason: protocol.CueStatus, Status: 503, Why: "trả lời mã 503"},
		{Index: 2, Kind: "osc", Target: "10.0.0.7:9000", Address: "/pyro", DueAt: due, State: protocol.CueSkipped},
		{Index: 3, Kind: "http", Target: "=cmd|' /C calc'!A0", Method: "PUT", DueAt: due + 60_000, State: protocol.CuePending},
	}
	var buf bytes.Buffer
	if err := writeReportCSV(&buf, csvReport(), cues, ict); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(buf.String(), "\r\n", "\n")
	for _, want := range []string{
		"\nTín hiệu ra\nGửi lúc (dự kiến),Loại,Địa chỉ,Nội dung,Kết quả\n",
		"15:00:52,OSC,10.0.0.5:53000,/cue/1/start,\"đã gửi (trễ 1,2 ms)\"\n",
		"15:00:52,HTTP,http://10.0.0.9:8000/press,POST,lỗi: trả lời mã 503\n",
		"15:00:52,OSC,10.0.0.7:9000,/pyro,bỏ qua khi tập dượt\n",
		"15:01:52,HTTP,'=cmd|' /C calc'!A0,PUT,chưa gửi\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := writeReportCSV(&buf, csvReport(), nil, ict); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Tín hiệu ra") {
		t.Error("a report without cues has a cues section")
	}
}
