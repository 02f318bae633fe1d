package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/dnssd"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

func f(v float64) *float64 { return &v }

func TestDoctorPressCheck(t *testing.T) {
	tests := []struct {
		name      string
		rehearsal bool
		sent      int
		err       error
		ok        bool
		want      string
	}{
		{"outside rehearsal", false, 0, nil, false, "chế độ tập dượt đang tắt"},
		{"no button", true, 0, nil, false, "Không có nút bấm nào để thử"},
		{"refused", true, 0, errors.New("unauthorized"), false, "Không thử được nút: unauthorized"},
		{"two buttons flash", true, 2, nil, true, "Đã gửi lệnh thử tới 2 nút"},
	}
	for _, tt := range tests {
		c := pressCheck(tt.rehearsal, tt.sent, tt.err)
		if c.OK != tt.ok || !strings.Contains(c.Text, tt.want) {
			t.Errorf("%s: %+v, want ok=%v and %q", tt.name, c, tt.ok, tt.want)
		}
	}
}

// runDoctor runs `phatdong doctor` with args against a server found by
// the fake browse, returning its output and error.
func runDoctor(t *testing.T, r *running, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	browse := func(context.Context, time.Duration) ([]dnssd.Record, error) {
		return []dnssd.Record{{Instance: "p", Role: dnssd.RolePrimary, Scheme: "http", Addrs: []string{r.Addr().String()}}}, nil
	}
	err := doctorCommand{out: &out, getenv: func(string) string { return "" }, browse: browse}.run(context.Background(), args)
	return out.String(), err
}

// TestDoctorAgainstARunningServer: the doctor finds the server (auto),
// lists what is missing, judges the devices that connect, and its test
// press flashes the button's LED in rehearsal mode only, never reaching a
// screen.
func TestDoctorAgainstARunningServer(t *testing.T) {
	r := start(t, testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))

	out, err := runDoctor(t, r, "--server", "auto", "--token", testToken)
	if !errors.Is(err, errChecksFailed) || !strings.Contains(out, "✘ Chưa có màn hình sân khấu nào kết nối") || !strings.Contains(out, "✘ Chưa có nút bấm nào kết nối") {
		t.Fatalf("with no device: %v\n%s", err, out)
	}
	if !strings.Contains(out, "✔ Cơ sở dữ liệu: ") || !strings.Contains(out, "✔ Ổ đĩa còn trống") || !strings.Contains(out, "Có 3 mục chưa đạt:") {
		t.Errorf("no database or disk line:\n%s", out)
	}
	if out, err := runDoctor(t, r, "--server", "http://"+r.Addr().String(), "--token", "wrong-token-123"); !errors.Is(err, errChecksFailed) ||
		!strings.Contains(out, "✘ Không lấy được báo cáo từ máy chủ") {
		t.Errorf("a wrong token: %v\n%s", err, out)
	}
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/doctor"}, {"POST", "/api/v1/doctor/press"}} {
		if code, _ := call(t, c.method, r.url(c.path), "", ""); code != 401 {
			t.Errorf("%s %s without a token: %d, want 401", c.method, c.path, code)
		}
	}
	if _, err := runDoctor(t, r, "--server", "ftp://x"); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("no token: %v", err)
	}
	if _, err := runDoctor(t, r, "--server", "ftp://x", "--token", testToken); err == nil || !strings.Contains(err.Error(), "is not http://host:port") {
		t.Errorf("a bad --server: %v", err)
	}

	ws := "ws://" + r.Addr().String() + "/ws"
	stage := protocoltest.Dial(t, ws, protocoltest.Stage("Màn LED chính"))
	stage.Until(protocol.TypeState)
	btn := protocoltest.Dial(t, ws, protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleButton, Button: "nut-1", Name: "Nút 1", Key: testKey})
	btn.Until(protocol.TypeState)
	stage.Send(protocol.ReportMsg{Type: protocol.TypeReport, Offset: f(-2.5), RTT: f(1.2), Uncertainty: f(0.6)})
	btn.Send(protocol.ReportMsg{Type: protocol.TypeReport, Offset: f(0.4), RTT: f(0.9), Uncertainty: f(0.5)})
	waitFor(t, 5*time.Second, "the devices' clock reports in the doctor's report", func() bool {
		d := r.api.Doctor()
		return len(d.Devices) == 2 && d.Devices[1].OffsetMs != nil && len(d.Buttons) == 1 && d.Buttons[0].RTTMs != nil
	})

	out, err = runDoctor(t, r, "--token", testToken, "--press")
	if !errors.Is(err, errChecksFailed) || !strings.Contains(out, "✔ Màn hình sân khấu «Màn LED chính»") ||
		!strings.Contains(out, "✔ Nút bấm «nut-1»") || !strings.Contains(out, "✘ Chưa thử nút: chế độ tập dượt đang tắt") {
		t.Fatalf("outside rehearsal: %v\n%s", err, out)
	}
	if code, body := call(t, "POST", r.url("/api/v1/doctor/press"), testToken, ""); code != 409 || !strings.Contains(string(body), "rehearsal mode") {
		t.Fatalf("a test press outside rehearsal: %d %s", code, body)
	}

	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"rehearsal","on":true}`); code != 200 {
		t.Fatalf("rehearsal on: %d %s", code, body)
	}
	// The test server listens on loopback alone: that is its one ✘.
	out, err = runDoctor(t, r, "--token", testToken, "--press")
	if !errors.Is(err, errChecksFailed) || !strings.Contains(out, "✔ Đã gửi lệnh thử tới 1 nút") || strings.Count(out, "✘") != 1 ||
		!strings.Contains(out, "✘ Máy chủ không có địa chỉ mạng LAN") || !strings.Contains(out, "lệch đồng hồ -2,5 ms ±0,6, RTT 1,2 ms") {
		t.Fatalf("in rehearsal: %v\n%s", err, out)
	}
	var flash protocol.LEDTestMsg
	btn.Until(protocol.TypeLEDTest).Decode(t, &flash)
	if flash.Hz != 8 || flash.DurationMs != 2000 {
		t.Errorf("the button was asked %+v, want 8 Hz for 2 s", flash)
	}
	// The stage's next message after the press is the next state, never
	// the LED test.
	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"message","text":"Xin chào"}`); code != 200 {
		t.Fatalf("message: %d %s", code, body)
	}
	for {
		m := stage.Read()
		if m.Type == protocol.TypeLEDTest {
			t.Fatal("a stage screen got the LED test")
		}
		if m.Type == protocol.TypeState && strings.Contains(string(m.Data), "Xin chào") {
			break
		}
	}
}
