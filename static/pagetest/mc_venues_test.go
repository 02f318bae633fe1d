package pagetest

import (
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// venueRow is the venues table's row of the hall id, as JavaScript.
func venueRow(id string) string {
	return `document.querySelector(` + quote(`#venue-rows tr[data-id=`+quote(id)+`]`) + `)`
}

// delayOf is the delay the registry holds for the venue credential id.
func delayOf(t *testing.T, reg *access.Registry, id string) int64 {
	t.Helper()
	for _, c := range reg.List() {
		if c.ID == id {
			return c.DelayMs
		}
	}
	t.Fatalf("no credential %s", id)
	return 0
}

// editDelay opens the delay dialog of the hall id, types ms and saves.
func (p *page) editDelay(id, ms string) {
	p.t.Helper()
	p.click("venue-delay-" + id)
	p.wait(`document.getElementById("venue-delay-input")`, 5*time.Second, `document.body.innerText.slice(-300)`)
	p.js(`document.getElementById("venue-delay-input").value = ` + quote(ms))
	p.js(`document.querySelector('.modal [data-value="true"]').click()`)
}

// toastSays is a condition: an error toast containing text is shown.
func toastSays(kind, text string) string {
	return `[...document.querySelectorAll(".toast.` + kind + `")].some((t) => t.textContent.includes(` + quote(text) + `))`
}

// The province's MC lists its halls in the tab "Điểm cầu" with their
// link, clock, screens, delay and fire spread, a hall whose link is down
// in red; the Arm button names the halls late or down; the administrator
// changes a hall's delay from the page, another operator is told why not.
func TestMCVenuesPanel(t *testing.T) {
	var venues atomic.Pointer[[]protocol.Venue]
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS,
		Venues: func() []protocol.Venue {
			if v := venues.Load(); v != nil {
				return *v
			}
			return nil
		}})
	reg := srv.Display.Auth().Registry()
	cred, _, err := reg.New(access.Spec{Kind: access.KindVenue, Label: "Huyện Bù Đăng", DelayMs: 1500})
	if err != nil {
		t.Fatal(err)
	}
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, srv.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady+` && document.getElementById("dev-count").textContent !== ""`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	if eval[bool](mc, `!document.getElementById("tab-venues").hidden || !document.getElementById("lp-venues").hidden`) {
		t.Fatal("the halls are shown on a server that has none")
	}

	now := time.Now().UnixMilli()
	set := func(list []protocol.Venue) {
		venues.Store(&list)
		srv.Display.LinksChanged(true)
	}
	fine := protocol.Venue{ID: cred.ID, Name: "Huyện Bù Đăng", Linked: true, Addr: "10.8.0.7:51234", RTTMs: 84.2, OffsetMs: -12.5, ErrorMs: 3.1,
		Synced: true, Screens: 4, LastContact: now, DelayMs: 1500, Seq: 57,
		Fire: &protocol.FireSummary{FireID: "f9", Sockets: 4, Reports: 3, Late: 1, EarliestMs: 0.4, LatestMs: 2.5, SpreadMs: 2.1}}
	down := protocol.Venue{ID: "k-loc-ninh", Name: "Huyện Lộc Ninh", Linked: false, LastContact: now - 125_000, DelayMs: 0, Screens: 0}
	late := protocol.Venue{ID: "k-binh-long", Name: "Thị xã Bình Long", Linked: true, RTTMs: 620, Synced: true, ErrorMs: 40, Screens: 2,
		LastContact: now, DelayMs: 0, LateMs: 340.4}
	set([]protocol.Venue{fine, down, late})

	mc.wait(`!document.getElementById("tab-venues").hidden`, 5*time.Second, `document.getElementById("tab-venues").outerHTML`)
	if !eval[bool](mc, `document.getElementById("tab-venues").classList.contains("alert")`) {
		t.Error("the tab of halls with one down is not red")
	}
	mc.click("tab-venues")
	mc.wait(`document.querySelectorAll("#venue-rows tr").length === 3`, 5*time.Second, `document.getElementById("pane-venues").innerText`)
	if got := mc.text("venue-summary"); got != "2/3 điểm cầu đang kết nối" {
		t.Errorf("summary %q", got)
	}
	rowText := func(id string) string {
		return eval[string](mc, venueRow(id)+`.innerText.replace(/\s+/g, " ")`)
	}
	for _, tc := range []struct {
		id   string
		bad  bool
		want []string
	}{
		{cred.ID, false, []string{"Huyện Bù Đăng", "Đang kết nối", "khứ hồi 84 ms", "lệch −12,5 ± 3,1 ms", "4 màn hình", "1.500 ms",
			"Phát động: +0,4 … +2,5 ms · 3/4 màn hình · 1 vào muộn"}},
		{down.ID, true, []string{"Huyện Lộc Ninh", "Mất kết nối · lần cuối 2 phút trước", "0 màn hình"}},
		{late.ID, false, []string{"Thị xã Bình Long", "Đang kết nối", "sẽ trễ ~340 ms"}},
	} {
		text := rowText(tc.id)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("row %s: %q lacks %q", tc.id, text, w)
			}
		}
		red := eval[bool](mc, venueRow(tc.id)+`.classList.contains("bad") && getComputedStyle(`+venueRow(tc.id)+`.querySelector(".vn-state")).color === "rgb(255, 59, 48)"`)
		if red != tc.bad {
			t.Errorf("row %s: red %v, want %v", tc.id, red, tc.bad)
		}
	}
	if first := eval[string](mc, `document.querySelector("#venue-rows tr").dataset.id`); first != down.ID {
		t.Errorf("first row %s, want the hall that is down", first)
	}

	// By the Arm button: the late hall and the one down, not the fine one.
	mc.click("tab-launch")
	mc.wait(`!document.getElementById("lp-venues").hidden`, 5*time.Second, `document.getElementById("pane-launch").innerText`)
	note := mc.text("lp-venues")
	for _, w := range []string{"Điểm cầu Thị xã Bình Long sẽ trễ ~340 ms", "Điểm cầu Huyện Lộc Ninh đang mất kết nối"} {
		if !strings.Contains(note, w) {
			t.Errorf("arm note %q lacks %q", note, w)
		}
	}
	if strings.Contains(note, "Bù Đăng") {
		t.Errorf("arm note %q names a hall that is fine", note)
	}

	// The administrator changes a hall's delay; a bad value sends nothing.
	mc.click("tab-venues")
	mc.editDelay(cred.ID, "20000")
	mc.wait(toastSays("error", "từ 0 đến 10.000"), 5*time.Second, `document.body.innerText.slice(-300)`)
	mc.editDelay(cred.ID, "2500")
	mc.wait(toastSays("ok", "Đã đặt độ trễ hình của Huyện Bù Đăng: 2.500 ms"), 5*time.Second, `document.body.innerText.slice(-300)`)
	if got := delayOf(t, reg, cred.ID); got != 2500 {
		t.Fatalf("delay on the server %d, want 2500", got)
	}

	// All fine: the note by the Arm button goes.
	fine.DelayMs = 2500
	down.Linked, down.LastContact = true, time.Now().UnixMilli()
	late.LateMs = 0
	set([]protocol.Venue{fine, down, late})
	mc.wait(`document.getElementById("venue-summary").textContent === "3/3 điểm cầu đang kết nối" && document.getElementById("lp-venues").hidden`,
		5*time.Second, `[document.getElementById("venue-summary").textContent, document.getElementById("lp-venues").textContent]`)
	mc.checkConsole()

	// Another operator's token may not change it: the page says why.
	_, other, err := reg.Create(access.KindOperator, "Máy tính bảng phụ", "")
	if err != nil {
		t.Fatal(err)
	}
	mc2 := open(t, browser, srv.URL+"/mc#token="+other, 1280, 800)
	mc2.wait(mcReady+` && !document.getElementById("tab-venues").hidden`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc2.click("tab-venues")
	mc2.wait(venueRow(cred.ID), 5*time.Second, `document.getElementById("pane-venues").innerText`)
	mc2.editDelay(cred.ID, "100")
	mc2.wait(toastSays("error", "Chỉ quản trị viên đổi được độ trễ"), 5*time.Second, `document.body.innerText.slice(-300)`)
	if got := delayOf(t, reg, cred.ID); got != 2500 {
		t.Errorf("an operator's token changed the delay to %d", got)
	}
	mc2.checkConsole("403")
}

// A hall's MC is in hall mode: the band names the hall and its link, the
// province's controls are not offered (nor their keys), the hall's
// blackout works; a lost link shows the red banner on the MC, never on
// the stage.
func TestMCHallMode(t *testing.T) {
	var hall atomic.Pointer[protocol.Hall]
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, HallEngine: true, Hall: hall.Load})
	linked := protocol.Hall{Name: "Huyện Bù Đăng", Province: []string{"10.0.0.5:7422"}, Linked: true, LastContact: time.Now().UnixMilli(),
		RTTMs: 84.2, OffsetMs: -12.5, ErrorMs: 3.1, Synced: true, DelayMs: 1500, Seq: 57}
	hall.Store(&linked)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, srv.URL+"/stage", 1280, 720)
	mc := open(t, browser, srv.URL+"/mc#token="+opToken, 1280, 800)
	stage.wait(stageReady, 10*time.Second, stageMode)
	band := `document.getElementById("mc-hall")`
	mc.wait(mcReady+` && !`+band+`.hidden`, 10*time.Second, `document.body.innerText.slice(0, 300)`)
	if got := mc.text("hall-title"); got != "Điểm cầu: Huyện Bù Đăng — theo dõi lễ của tỉnh" {
		t.Errorf("band title %q", got)
	}
	health := mc.text("hall-health")
	for _, w := range []string{"Đang kết nối", "khứ hồi 84 ms", "lệch −12,5 ± 3,1 ms", "độ trễ hình 1.500 ms"} {
		if !strings.Contains(health, w) {
			t.Errorf("band health %q lacks %q", health, w)
		}
	}
	if !eval[bool](mc, `document.getElementById("mc-hall-lost").hidden && document.querySelector(".mc-head").getBoundingClientRect().top >= `+band+`.getBoundingClientRect().bottom`) {
		t.Error("a linked hall shows the lost banner, or the band covers the header")
	}

	// The province's controls are not offered; the note says why.
	for _, id := range []string{"btn-next", "btn-prev", "btn-startstop", "btn-plus", "btn-minus", "btn-reset-timer", "btn-rehearsal", "lp-arm", "lp-fire", "lp-reset"} {
		if eval[bool](mc, `document.getElementById(`+quote(id)+`).getClientRects().length > 0`) {
			t.Errorf("a hall's MC offers %s", id)
		}
	}
	if got := mc.text("hall-note"); got != "Chương trình do điểm cầu chính điều khiển" || !eval[bool](mc, `document.getElementById("hall-note").getClientRects().length > 0`) {
		t.Errorf("hall note %q not shown", got)
	}
	// The rundown and the current segment still show; a tap offers no goto.
	mc.js(`document.querySelectorAll("#rundown .rd-item")[2].click()`)
	if eval[bool](mc, `[...document.querySelectorAll(".rd-go button")].some((b) => b.getClientRects().length > 0)`) {
		t.Error("a hall's rundown offers a goto")
	}
	if got := mc.text("cur-title"); got == "" || got == "—" {
		t.Errorf("current segment %q", got)
	}
	// Keys of the province's commands say why and send nothing.
	seq := srv.Engine.Snapshot().State.Seq
	mc.do(chromedp.KeyEvent(kb.ArrowRight))
	mc.wait(toastSays("error", "Chương trình do điểm cầu chính điều khiển"), 5*time.Second, `document.body.innerText.slice(-300)`)
	if got := srv.Engine.Snapshot().State.Seq; got != seq {
		t.Errorf("a key on a hall's MC changed the state (seq %d → %d)", seq, got)
	}

	// The hall's own blackout works.
	mc.click("btn-blackout")
	mc.wait(`document.getElementById("btn-blackout").getAttribute("aria-pressed") === "true"`, 5*time.Second, `document.getElementById("btn-blackout").outerHTML`)
	if !srv.Engine.Snapshot().State.Blackout {
		t.Error("the hall's blackout did not reach its engine")
	}
	// And its message to the presenter.
	mc.js(`document.querySelector('[data-preset="Còn 5 phút"]').click()`)
	mc.wait(`document.getElementById("msg-current").textContent.includes("Còn 5 phút")`, 5*time.Second, `document.getElementById("msg-current").textContent`)
	if got := srv.Engine.Snapshot().State.Message.Text; got != "Còn 5 phút" {
		t.Errorf("the hall's message on its engine: %q", got)
	}

	// The link goes down: the red banner on the MC, not on the stage.
	lost := linked
	lost.Linked, lost.LastContact = false, time.Now().UnixMilli()-20_000
	hall.Store(&lost)
	srv.Display.LinksChanged(true)
	banner := `document.getElementById("mc-hall-lost")`
	mc.wait(`!`+banner+`.hidden && `+banner+`.textContent === "Mất kết nối với điểm cầu chính" && getComputedStyle(`+banner+`).display !== "none"`, 5*time.Second, banner+`.outerHTML`)
	if health := mc.text("hall-health"); !regexp.MustCompile(`^Mất kết nối · lần cuối 2\d giây trước · `).MatchString(health) {
		t.Errorf("band health %q", health)
	}
	if !eval[bool](mc, `document.querySelector(".mc-head").getBoundingClientRect().top >= `+banner+`.getBoundingClientRect().bottom`) {
		t.Error("the lost banner covers the header")
	}
	if eval[bool](stage, `document.documentElement.innerHTML.includes("Mất kết nối với điểm cầu chính") || document.documentElement.innerHTML.includes("Điểm cầu")`) {
		t.Error("the stage shows the hall's link")
	}
	hall.Store(&linked)
	srv.Display.LinksChanged(true)
	mc.wait(banner+`.hidden`, 5*time.Second, banner+`.outerHTML`)
	mc.checkConsole()
	stage.checkConsole()
}

// The words of the halls: the arm note, a fire's spread, a delay typed.
func TestMCVenuesWords(t *testing.T) {
	mod := openModule(t, "mc-venues.js")
	for _, tc := range []struct{ expr, want string }{
		{`mod.armNotes([{name: "A", linked: true}, {name: "B", linked: true, lateMs: 1234.6}, {id: "k1", linked: false}]).join("|")`,
			"Điểm cầu k1 đang mất kết nối|Điểm cầu B sẽ trễ ~1.235 ms"},
		{`mod.armNotes([{name: "A", linked: true, lateMs: 0}]).join("|")`, ""},
		{`mod.armNotes(undefined).join("|")`, ""},
		{`mod.fireText({sockets: 4, reports: 3, late: 0, earliestMs: -1.25, latestMs: 2})`, "−1,3 … +2 ms · 3/4 màn hình"},
		{`mod.fireText({sockets: 2, reports: 0, late: 2})`, "chưa có màn hình báo cáo · 0/2 màn hình · 2 vào muộn"},
		{`mod.clockText({synced: false})`, "chưa đồng bộ giờ"},
		{`mod.clockText({synced: true, offsetMs: 0.02, errorMs: 1})`, "lệch 0 ± 1 ms"},
		{`mod.checkDelay("1500")`, ""},
		{`mod.checkDelay("0")`, ""},
		{`mod.checkDelay("10001")`, "Độ trễ là số nguyên mili giây, từ 0 đến 10.000."},
		{`mod.checkDelay("-5")`, "Độ trễ là số nguyên mili giây, từ 0 đến 10.000."},
		{`mod.checkDelay("1,5")`, "Độ trễ là số nguyên mili giây, từ 0 đến 10.000."},
		{`mod.checkDelay("")`, "Độ trễ là số nguyên mili giây, từ 0 đến 10.000."},
	} {
		got, err := chromedp.Run(mod, chromedp.Evaluate[string](tc.expr))
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, got, tc.want)
		}
	}
}
