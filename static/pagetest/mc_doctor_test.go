package pagetest

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// The preflight on the MC's devices tab: the server's checklist, what
// failed first with what to fix (no stage screen, no button; the MC's own
// tablet until it reports its clock), then, with a stage and a button
// linked, every line passes; the test of the
// buttons' lights waits for rehearsal mode and reaches the button alone.
func TestMCPreflight(t *testing.T) {
	host := func() protocol.DoctorHost {
		return protocol.DoctorHost{Version: "v1.2.3", Role: "primary", Addresses: []string{"http://10.0.0.2:8080", "http://localhost:8080"},
			DB: protocol.DiskFile{Path: "/var/lib/phatdong/phatdong.db", SizeBytes: 3 << 20}, Disk: protocol.DiskFree{FreeBytes: 40 << 30, TotalBytes: 64 << 30}}
	}
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Expiry: true, DoctorHost: host})
	s := &server{URL: srv.URL, engine: srv.Engine, test: srv}
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-devices")

	list, sum := `document.getElementById("doc-list").innerText`, `document.getElementById("doc-sum").innerText`
	mc.click("doc-run")
	mc.wait(sum+`.startsWith("Có ")`, 5*time.Second, sum)
	t.Logf("before any device: %s\n%s", eval[string](mc, sum), eval[string](mc, list))
	got := eval[string](mc, list)
	for _, want := range []string{
		"✘ Chưa có màn hình sân khấu nào kết nối\n→ mở trang /stage",
		"✘ Chưa có nút bấm nào kết nối\n→ bật Raspberry Pi của nút",
		"✔ Máy chủ trả lời (phiên bản v1.2.3, vai trò primary)",
		"✔ Ổ đĩa còn trống 40,0 GB / 64,0 GB",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checklist says\n%s\nwant %q", got, want)
		}
	}
	if first := eval[string](mc, `document.querySelector("#doc-list li").className`); first != "bad" {
		t.Errorf("the first line is %q, want a failure first", first)
	}

	// A stage screen and a button link; the stage reports its clock.
	stage := open(t, browser, s.URL+"/stage?name=M%C3%A0n+LED", 1280, 720)
	stage.wait(`window.phatdongLink && phatdongLink.synced`, 10*time.Second, `document.body.dataset.mode`)
	button := protocoltest.Dial(t, srv.WSURL, protocol.HelloMsg{Role: protocol.RoleButton, Button: "nut-1", Name: "Nút 1", Key: s.test.ButtonKey(t, "nut-1")})
	deadline := time.Now().Add(15 * time.Second)
	for {
		// An agent asks the time every few seconds; the server hears it.
		button.Send(protocol.TimeMsg{Type: protocol.TypeTime, T0: float64(time.Now().UnixMilli())})
		mc.click("doc-run")
		mc.wait(`!document.getElementById("doc-run").classList.contains("busy")`, 5*time.Second, sum)
		if strings.HasPrefix(eval[string](mc, sum), "Mọi mục đều đạt") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("with a stage and a button linked the checklist still says\n%s\n%s", eval[string](mc, sum), eval[string](mc, list))
		}
		time.Sleep(500 * time.Millisecond) // the stage reports its clock every few seconds
	}
	if got := eval[string](mc, list); !strings.Contains(got, "✔ Màn hình sân khấu «Màn LED» (") || !strings.Contains(got, "✔ Nút bấm «nut-1»") {
		t.Errorf("the checklist does not name the stage and the button:\n%s", got)
	}

	// The lights' test: only in rehearsal, and only the button hears it.
	if !eval[bool](mc, `document.getElementById("doc-press").disabled`) {
		t.Error("the lights' test is offered outside rehearsal")
	}
	s.command(t, `{"type":"rehearsal","on":true}`)
	mc.wait(`!document.getElementById("doc-press").disabled`, 5*time.Second, `document.getElementById("doc-press").outerHTML`)
	mc.click("doc-press")
	toasts := `document.getElementById("toasts")?.innerText || ""`
	mc.wait(toasts+`.includes("Đã gửi lệnh thử tới 1 nút")`, 5*time.Second, toasts)
	var led protocol.LEDTestMsg
	button.Until(protocol.TypeLEDTest).Decode(t, &led)
	if led.Hz <= 0 || led.DurationMs <= 0 {
		t.Errorf("the button was asked to flash %+v", led)
	}
	mc.checkConsole()
	stage.checkConsole()
}
