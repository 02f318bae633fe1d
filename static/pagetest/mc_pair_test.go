package pagetest

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// lockedControls are command buttons a standby's MC page must disable.
var lockedControls = []string{"btn-next", "btn-startstop", "btn-plus", "btn-reset-timer", "btn-rehearsal", "btn-blackout", "msg-send", "lp-arm"}

// The MC shows the servers' pair only when the server has one: the panel
// in sync, then red with the warning when the standby falls out of sync,
// and on a standby the banner and disabled command buttons.
func TestMCPairPanel(t *testing.T) {
	var pair atomic.Pointer[protocol.Pair]
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Expiry: true, Pair: pair.Load})
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, srv.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady+` && document.getElementById("dev-count").textContent !== ""`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	if shown := eval[bool](mc, `!document.getElementById("tab-pair").hidden || !document.getElementById("chip-pair").hidden || !document.getElementById("mc-standby").hidden`); shown {
		t.Fatal("the pair is shown while the server has none")
	}

	set := func(p protocol.Pair) {
		pair.Store(&p)
		srv.Display.PairChanged()
	}
	panel := `document.getElementById("mc-pair")`
	inSync := protocol.Pair{Role: protocol.RolePrimary, Epoch: 3, Peer: "10.0.0.12", Connected: true, LastContact: time.Now().UnixMilli(), InSync: true, Seq: 57, PeerSeq: 57}
	set(inSync)
	mc.wait(`!document.getElementById("tab-pair").hidden`, 5*time.Second, `document.getElementById("tab-pair").outerHTML`)
	mc.click("tab-pair")
	mc.wait(panel+`.innerText.includes("Máy chính") && `+panel+`.innerText.includes("đã khớp") && `+panel+`.innerText.includes("Phiên điều khiển 3") && `+panel+`.innerText.includes("10.0.0.12")`,
		5*time.Second, panel+`.innerText`)
	if red := eval[bool](mc, panel+`.classList.contains("bad") || !document.getElementById("mc-warnings").hidden`); red {
		t.Fatal("a pair in sync is shown as faulty")
	}

	out := inSync
	out.InSync, out.Seq, out.LagCommands, out.LagMs, out.Unsynced = false, 60, 3, 120, 3
	set(out)
	warning := `document.getElementById("mc-warnings")`
	mc.wait(`!`+warning+`.hidden && `+warning+`.innerText.includes("Máy dự phòng: mất đồng bộ")`, 5*time.Second, warning+`.outerHTML`)
	mc.wait(panel+`.classList.contains("bad") && getComputedStyle(`+panel+`).borderTopColor === "rgb(255, 59, 48)" && `+panel+`.innerText.includes("chậm 3 lệnh · 120 ms") && `+panel+`.innerText.includes("MẤT ĐỒNG BỘ")`,
		5*time.Second, panel+`.innerText`)
	if alert := eval[bool](mc, `document.getElementById("tab-pair").classList.contains("alert") && document.getElementById("chip-pair").classList.contains("bad")`); !alert {
		t.Error("the tab and the chip of a faulty pair are not red")
	}

	standby := protocol.Pair{Role: protocol.RoleStandby, Epoch: 3, Peer: "10.0.0.11", Connected: true, LastContact: time.Now().UnixMilli(), InSync: true, Seq: 60, PeerSeq: 60}
	set(standby)
	banner := `document.getElementById("mc-standby")`
	mc.wait(`!`+banner+`.hidden && `+banner+`.innerText.includes("MÁY DỰ PHÒNG — chỉ theo dõi, lệnh gửi ở máy chính") && `+warning+`.hidden`, 5*time.Second, banner+`.outerHTML`)
	for _, id := range lockedControls {
		if !eval[bool](mc, `document.getElementById(`+quote(id)+`).disabled`) {
			t.Errorf("on a standby, %s is enabled", id)
		}
	}
	if !eval[bool](mc, `getComputedStyle(`+banner+`).display !== "none" && document.querySelector(".mc-head").getBoundingClientRect().top >= `+banner+`.getBoundingClientRect().bottom`) {
		t.Error("the standby's banner is hidden or covers the header")
	}
	// A state change on the standby leaves the controls disabled.
	if code, body := (&server{URL: srv.URL}).api(t, "POST", "/api/v1/commands", `{"type":"start"}`); code != 200 {
		t.Fatalf("start: %d %s", code, body)
	}
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	if !eval[bool](mc, `document.getElementById("btn-startstop").disabled && document.getElementById("btn-next").disabled`) {
		t.Error("a new state enabled a standby's controls")
	}

	// Its keys say why instead of sending the command.
	seq := srv.Engine.Snapshot().State.Seq
	mc.do(chromedp.KeyEvent(kb.ArrowRight))
	mc.wait(`[...document.querySelectorAll(".toast.error")].some((t) => t.textContent.includes("Máy này là máy dự phòng: lệnh phải gửi ở máy chính."))`,
		5*time.Second, `document.body.innerText.slice(-300)`)
	if got := srv.Engine.Snapshot().State.Seq; got != seq {
		t.Errorf("a key on the standby's page sent a command (seq %d → %d)", seq, got)
	}

	lost := standby
	lost.Connected, lost.InSync = false, false
	set(lost)
	mc.wait(`!`+warning+`.hidden && `+warning+`.innerText.includes("Mất liên lạc với máy chính") && `+panel+`.innerText.includes("MẤT LIÊN LẠC")`, 5*time.Second, warning+`.outerHTML`)

	// A primary again (a takeover): the banner goes, the controls come back.
	set(inSync)
	mc.wait(banner+`.hidden && !document.getElementById("btn-startstop").disabled && !document.getElementById("msg-send").disabled`, 5*time.Second, banner+`.outerHTML`)
	mc.checkConsole()
}

// The page says in Vietnamese why a standby refused a command, and words
// the standby's lag.
func TestMCPairWords(t *testing.T) {
	tab := openModule(t, "errors.js")
	got, err := chromedp.Run(tab, chromedp.Evaluate[string](`mod.vnError({code: "not_primary"}, "next")`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Chuyển mục sau: Máy này là máy dự phòng: lệnh phải gửi ở máy chính."; got != want {
		t.Errorf("not_primary: %q, want %q", got, want)
	}
	pairMod := openModule(t, "mc-pair.js")
	for _, tc := range []struct{ pair, want string }{
		{`{lagCommands: 0, lagMs: 0}`, "đã khớp"},
		{`{lagCommands: 3, lagMs: 120.4}`, "chậm 3 lệnh · 120 ms"},
		{`{lagCommands: 1}`, "chậm 1 lệnh · 0 ms"},
	} {
		got, err := chromedp.Run(pairMod, chromedp.Evaluate[string](`mod.lagText(`+tc.pair+`)`))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("lagText(%s) = %q, want %q", tc.pair, got, tc.want)
		}
	}
}
