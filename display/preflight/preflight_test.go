package preflight

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/protocol"
)

func f(v float64) *float64 { return &v }

// good is a report every check passes.
func good() protocol.Doctor {
	return protocol.Doctor{
		DoctorHost: protocol.DoctorHost{Version: "devel", Role: "primary", Addresses: []string{"http://10.0.0.2:8080", "http://localhost:8080"},
			DB: protocol.DiskFile{Path: "/srv/phatdong.db", SizeBytes: 2 << 20}, Disk: protocol.DiskFree{FreeBytes: 20 << 30, TotalBytes: 64 << 30}},
		Devices: []protocol.Device{
			{Role: protocol.RoleStage, Name: "Màn LED chính", Addr: "10.0.0.21", OffsetMs: f(-3), RTTMs: f(4), UncertaintyMs: f(2), Moment: &protocol.MomentFigures{FPS: 59.8}},
			{Role: protocol.RoleButton, Button: "nut-1", Addr: "10.0.0.31"},
		},
		Buttons: []protocol.ButtonLink{{Button: "nut-1", Addr: "10.0.0.31", RTTMs: f(3), SilentMs: 800}},
		Missing: []protocol.Role{},
	}
}

// TestChecks: every check passes on a good report, and each fault fails
// exactly one check, named and with what to fix.
func TestChecks(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *protocol.Doctor)
		reach  map[string]bool
		want   string // the ✘ line's start; "" when every check passes
	}{
		{name: "the LAN address reached", change: func(*protocol.Doctor) {}, reach: map[string]bool{"http://10.0.0.2:8080": true, "http://localhost:8080": false}},
		{name: "no LAN address reached", change: func(*protocol.Doctor) {}, reach: map[string]bool{"http://10.0.0.2:8080": false, "http://localhost:8080": true},
			want: "✘ Không đến được địa chỉ LAN nào của máy chủ từ máy này: http://10.0.0.2:8080 (không đến được từ máy này)"},
		{name: "all good", change: func(*protocol.Doctor) {}},
		{name: "localhost only", change: func(d *protocol.Doctor) { d.Addresses = []string{"http://127.0.0.1:8080"} }, want: "✘ Máy chủ không có địa chỉ mạng LAN"},
		{name: "the disk nearly full", change: func(d *protocol.Doctor) { d.Disk.FreeBytes = 300 << 20 }, want: "✘ Ổ đĩa chỉ còn trống 300,0 MB"},
		{name: "the disk unknown", change: func(d *protocol.Doctor) { d.Disk = protocol.DiskFree{Error: "statfs: denied"} }, want: "✘ Không đọc được dung lượng ổ đĩa"},
		{name: "no stage screen", change: func(d *protocol.Doctor) { d.Missing = []protocol.Role{protocol.RoleStage} }, want: "✘ Chưa có màn hình sân khấu nào kết nối"},
		{name: "no button", change: func(d *protocol.Doctor) { d.Missing = []protocol.Role{protocol.RoleButton} }, want: "✘ Chưa có nút bấm nào kết nối"},
		{name: "a screen without a clock report", change: func(d *protocol.Doctor) { d.Devices[0].OffsetMs = nil }, want: "✘ Màn hình sân khấu «Màn LED chính» (10.0.0.21): chưa báo đồng hồ"},
		{name: "a slow link", change: func(d *protocol.Doctor) { d.Devices[0].RTTMs = f(180) }, want: "✘ Màn hình sân khấu «Màn LED chính» (10.0.0.21): mạng chậm"},
		{name: "an uncertain clock", change: func(d *protocol.Doctor) { d.Devices[0].UncertaintyMs = f(35) }, want: "✘ Màn hình sân khấu «Màn LED chính» (10.0.0.21): đồng hồ chưa chính xác"},
		{name: "a stuttering screen", change: func(d *protocol.Doctor) { d.Devices[0].Moment.FPS = 31 }, want: "✘ Màn hình sân khấu «Màn LED chính» (10.0.0.21): vẽ chậm"},
		{name: "a silent button", change: func(d *protocol.Doctor) { d.Buttons[0].SilentMs = 12000 }, want: "✘ Nút bấm «nut-1» (10.0.0.31): im lặng 12 giây"},
		{name: "a button on a slow link", change: func(d *protocol.Doctor) { d.Buttons[0].RTTMs = f(250) }, want: "✘ Nút bấm «nut-1» (10.0.0.31): mạng chậm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good()
			tt.change(&d)
			out, failed, fixless := render(Checks(d, tt.reach))
			switch {
			case tt.want == "" && failed > 0:
				t.Fatalf("a check failed:\n%s", out)
			case tt.want != "" && (failed != 1 || !strings.Contains(out, tt.want)):
				t.Fatalf("want one failure %q, got:\n%s", tt.want, out)
			case fixless > 0:
				t.Fatalf("a failure without what to fix:\n%s", out)
			}
		})
	}
}

// render writes list as the terminal does (✔ or ✘, and → what to fix),
// and counts the failures and those without a fix.
func render(list []protocol.Check) (out string, failed, fixless int) {
	var b strings.Builder
	for _, c := range list {
		if c.OK {
			b.WriteString("✔ " + c.Text + "\n")
			continue
		}
		failed++
		if c.Fix == "" {
			fixless++
		}
		b.WriteString("✘ " + c.Text + "\n    → " + c.Fix + "\n")
	}
	return b.String(), failed, fixless
}
