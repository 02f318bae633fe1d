package pagetest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

// The MC's buttons change what the stage and the presenter show.
func TestMCActionsChangeStageAndPresenter(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, s.URL+"/stage", 1280, 720)
	presenter := open(t, browser, s.URL+"/presenter", 1280, 720)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	stage.wait(`document.body.dataset.mode === "welcome"`, 10*time.Second, stageMode)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	if got := stage.text("w-title"); got != "Lễ phát động phong trào «Bình dân học vụ số»" {
		t.Errorf("welcome title %q", got)
	}

	// Next: the stage shows the performance, the presenter its title.
	mc.click("btn-next")
	stage.wait(`document.body.dataset.mode === "segment" && document.getElementById("s-title").textContent === "Văn nghệ chào mừng"`, 5*time.Second, `[document.body.dataset.mode, document.getElementById("s-title").textContent]`)
	presenter.wait(`document.getElementById("p-now").textContent.includes("Văn nghệ chào mừng")`, 5*time.Second, `document.getElementById("p-now").textContent`)
	if got := stage.text("s-clock"); got != "15:00" {
		t.Errorf("stage clock before the start: %q, want 15:00", got)
	}

	// Start: the clocks run.
	mc.click("btn-startstop")
	stage.wait(`document.getElementById("s-clock").textContent === "14:59"`, 5*time.Second, `document.getElementById("s-clock").textContent`)
	presenter.wait(`document.getElementById("p-clock").textContent === "14:59"`, 5*time.Second, `document.getElementById("p-clock").textContent`)
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)

	// +1 min shows at once on both.
	mc.click("btn-plus")
	stage.wait(`document.getElementById("s-clock").textContent.startsWith("15:")`, 5*time.Second, `document.getElementById("s-clock").textContent`)
	presenter.wait(`document.getElementById("p-clock").textContent.startsWith("15:")`, 5*time.Second, `document.getElementById("p-clock").textContent`)

	// A preset message, blinking, on the presenter.
	mc.click("msg-blink")
	mc.js(`document.querySelector('[data-preset="Còn 5 phút"]').click()`)
	presenter.wait(`!document.getElementById("p-msg").hidden && document.getElementById("p-msg-text").textContent === "Còn 5 phút" && document.getElementById("p-msg").classList.contains("blink")`, 5*time.Second, `document.getElementById("p-msg").outerHTML`)
	mc.click("msg-clear")
	presenter.wait(`document.getElementById("p-msg").hidden`, 5*time.Second, `document.getElementById("p-msg").outerHTML`)

	// Blackout, and back.
	mc.click("btn-blackout")
	stage.wait(`!document.getElementById("blackout").hidden`, 5*time.Second, `document.getElementById("blackout").outerHTML`)
	presenter.wait(`document.getElementById("p-badges").textContent.includes("MÀN CHIẾU ĐANG TẮT")`, 5*time.Second, `document.getElementById("p-badges").textContent`)
	// The MC's button toggles what the MC shows: press it again once it
	// shows the blackout, as an operator would.
	mc.wait(`document.getElementById("btn-blackout").getAttribute("aria-pressed") === "true"`, 5*time.Second, `document.getElementById("btn-blackout").outerHTML`)
	mc.click("btn-blackout")
	stage.wait(`document.getElementById("blackout").hidden`, 5*time.Second, `document.getElementById("blackout").outerHTML`)

	// Pause: the stage says so.
	mc.click("btn-startstop")
	stage.wait(`document.getElementById("s-phase").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("s-phase").textContent`)
	// A goto carries the state the operator decided on: tap it once the
	// MC's own screen shows the pause, as an operator would (one sent on
	// the state before is refused as "the state just changed").
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tiếp tục"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)

	// Goto from the rundown: tap a row, then its button.
	mc.js(`document.querySelector('#rundown li[data-id="phong-su"]').click()`)
	mc.wait(`document.querySelector('[data-goto="phong-su"]')`, 5*time.Second, `document.getElementById("rundown").innerHTML.slice(0, 300)`)
	mc.js(`document.querySelector('[data-goto="phong-su"]').click()`)
	stage.wait(`document.getElementById("s-title").textContent === "Chiếu phóng sự tổng quan về Chuyển đổi số"`, 5*time.Second, `document.getElementById("s-title").textContent`)
	mc.wait(`document.querySelector("#rundown li.current").dataset.id === "phong-su"`, 5*time.Second, `document.querySelector("#rundown li.current").dataset.id`)
	if got := mc.text("cur-notes"); !strings.Contains(got, "8 - 10 phút") {
		t.Errorf("MC notes %q", got)
	}

	for _, p := range []*page{stage, presenter, mc} {
		p.checkConsole()
	}
}

// The laptop operator's keyboard shortcuts, never while typing.
func TestMCKeyboardShortcuts(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	index := `document.getElementById("cur-index").textContent`
	mc.do(chromedp.KeyEvent(kb.ArrowRight))
	mc.wait(index+` === "Mục 2/9"`, 5*time.Second, index)
	mc.do(chromedp.KeyEvent(" "))
	mc.wait(index+` === "Mục 3/9"`, 5*time.Second, index)
	mc.do(chromedp.KeyEvent(kb.ArrowLeft))
	mc.wait(index+` === "Mục 2/9"`, 5*time.Second, index)
	mc.do(chromedp.KeyEvent("s"))
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	mc.do(chromedp.KeyEvent("+"))
	mc.wait(`document.getElementById("cur-planned").textContent.includes("thêm 1 phút")`, 5*time.Second, `document.getElementById("cur-planned").textContent`)
	mc.do(chromedp.KeyEvent("b"))
	mc.wait(`document.getElementById("btn-blackout").getAttribute("aria-pressed") === "true"`, 5*time.Second, `document.getElementById("btn-blackout").outerHTML`)
	// Typing a message: the same keys only type.
	mc.js(`document.getElementById("msg-text").focus()`)
	mc.do(chromedp.KeyEvent("b s " + kb.ArrowRight))
	if got := eval[string](mc, `document.getElementById("msg-text").value`); got != "b s " {
		t.Errorf("typed %q", got)
	}
	// Out of the field, "b" turns the blackout off: its command goes on the
	// same socket after any the typing might have sent, so once the page
	// shows it, the server has handled those too.
	mc.js(`document.getElementById("msg-text").blur()`)
	mc.do(chromedp.KeyEvent("b"))
	mc.wait(`document.getElementById("btn-blackout").getAttribute("aria-pressed") === "false"`, 5*time.Second, `document.getElementById("btn-blackout").outerHTML`)
	if got := eval[string](mc, index); got != "Mục 2/9" {
		t.Errorf("typing moved the show to %q", got)
	}
	if st := s.engine.Snapshot().State; st.Current != 1 || st.Timer.Phase != controller.TimerRunning {
		t.Errorf("typing changed the show: segment %d, timer %s; want segment 1, running", st.Current, st.Timer.Phase)
	}
	mc.checkConsole()
}

// Two operators press Next at the same moment: the show advances once, the
// other sees why their press did nothing, and both see the same state.
func TestTwoOperatorsPressNextOnce(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	a := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	b := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	a.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	b.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	var wg sync.WaitGroup
	for _, p := range []*page{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = chromedp.Do(p.ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("btn-next").click()`))
		}()
	}
	wg.Wait()
	index := `document.getElementById("cur-index").textContent`
	a.wait(index+` === "Mục 2/9"`, 5*time.Second, index)
	b.wait(index+` === "Mục 2/9"`, 5*time.Second, index)
	// The refused press's message is the answer to the second Next: once
	// it shows, the server has handled both presses.
	toasts := `document.getElementById("toasts")?.innerText || ""`
	refused := func() bool {
		return strings.Contains(eval[string](a, toasts)+eval[string](b, toasts), "Trạng thái vừa thay đổi")
	}
	for deadline := time.Now().Add(5 * time.Second); !refused(); time.Sleep(25 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the refused Next shows no message; toasts: %q / %q", eval[string](a, toasts), eval[string](b, toasts))
		}
	}
	if cur := s.engine.Snapshot().State.Current; cur != 1 {
		t.Fatalf("two Next presses on the same state moved to segment %d, want 1", cur)
	}
	// An action of one operator shows on the other's tablet.
	a.click("btn-blackout")
	b.wait(`document.getElementById("btn-blackout").getAttribute("aria-pressed") === "true"`, 5*time.Second, `document.getElementById("btn-blackout").outerHTML`)
	a.checkConsole()
	b.checkConsole()
}

// A command that cannot go through fails visibly.
func TestMCCommandErrorsAreShown(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	// Another operator starts the clock behind this tablet's back, then
	// this one's Start arrives on a clock that is already running.
	if code, body := s.api(t, http.MethodPost, "/api/v1/commands", `{"type":"start"}`); code != http.StatusOK {
		t.Fatalf("start: %d %s", code, body)
	}
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	// Reset launch without rehearsal mode is refused by the server.
	mc.click("tab-launch")
	mc.js(`document.getElementById("lp-reset").disabled = false`)
	mc.click("lp-arm")
	mc.wait(`document.getElementById("lp-state").classList.contains("armed")`, 5*time.Second, `document.getElementById("lp-state").className`)
	mc.js(`document.getElementById("lp-reset").disabled = false; document.getElementById("lp-reset").click()`)
	mc.wait(`document.querySelector('.modal [data-value="true"]')`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.js(`document.querySelector('.modal [data-value="true"]').click()`)
	mc.wait(`(document.getElementById("toasts")?.innerText || "").includes("chế độ tập dượt")`, 5*time.Second, `document.getElementById("toasts")?.innerText`)
	mc.checkConsole()
}
