package pagetest

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

var screenshots = flag.String("screenshots", "", "write PNG screenshots of every page in its main states to this folder (also PHATDONG_SCREENSHOTS)")

// screenSizes are the stage's screen shapes: a projector, a wide LED wall,
// a 4K screen and a 5:1 LED strip.
var screenSizes = [][2]int64{{1920, 1080}, {3840, 1080}, {3840, 2160}, {3840, 768}}

// croppedText lists the fitted texts of the page that overflow their box.
const croppedText = `[...document.querySelectorAll("[data-fit]")]
	.filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== "hidden" && e.textContent.trim() !== "")
	.filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
	.map(e => e.id + " (" + e.scrollWidth + "×" + e.scrollHeight + " in " + e.clientWidth + "×" + e.clientHeight + ")")`

// settled is true once the stage's slides have finished their cross-fade.
const settled = `document.getAnimations().filter(a => a instanceof CSSTransition).length === 0`

// shooter writes screenshots to a folder; without one (no -screenshots
// flag, no PHATDONG_SCREENSHOTS) it takes none, and the test still drives
// every page through its states and checks them.
type shooter struct {
	t   *testing.T
	dir string
	n   int
}

func newShooter(t *testing.T) *shooter {
	dir := *screenshots
	if dir == "" {
		dir = os.Getenv("PHATDONG_SCREENSHOTS")
	}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &shooter{t: t, dir: dir}
}

// shot writes the page's screenshot as NN-name.png.
func (sh *shooter) shot(p *page, name string) {
	sh.t.Helper()
	sh.n++
	if sh.dir == "" {
		return
	}
	path := filepath.Join(sh.dir, fmt.Sprintf("%02d-%s.png", sh.n, name))
	if err := os.WriteFile(path, p.screenshot(), 0o644); err != nil {
		sh.t.Fatal(err)
	}
}

// stageShots captures every stage tab, and checks that no text is cropped.
func stageShots(t *testing.T, sh *shooter, stages []*page, state string) {
	t.Helper()
	for i, p := range stages {
		p.wait(settled, 5*time.Second, stageMode)
		size := screenSizes[i]
		if bad := eval[[]string](p, croppedText); len(bad) > 0 {
			t.Errorf("stage %dx%d, %s: cropped text: %s", size[0], size[1], state, strings.Join(bad, "; "))
		}
		sh.shot(p, fmt.Sprintf("stage-%dx%d-%s", size[0], size[1], state))
	}
}

// Screenshots of every page in its main states, on every screen shape of
// the stage, with no text cropped anywhere.
func TestScreenshots(t *testing.T) {
	s := startServer(t)
	sh := newShooter(t)
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	// Three leaders press; the window is long enough for slow screenshots.
	show.Launch.RequiredPresses = 3
	show.Launch.WindowMs = 60000
	body, err := json.Marshal(show)
	if err != nil {
		t.Fatal(err)
	}
	s.putShow(t, string(body))

	browser := browsertest.NewBrowser(t)
	var stages []*page
	for _, size := range screenSizes {
		p := open(t, browser, s.URL+fmt.Sprintf("/stage?name=Sân khấu %dx%d", size[0], size[1]), size[0], size[1])
		stages = append(stages, p)
	}
	presenter := open(t, browser, s.URL+"/presenter", 1920, 1080)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	btn := open(t, browser, s.buttonLink(t, "nut-1", "Nút của Chủ tịch UBND tỉnh"), 1280, 800)
	for _, p := range stages {
		p.wait(`document.body.dataset.mode === "welcome"`, 10*time.Second, stageMode)
	}
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	btn.wait(`document.body.dataset.state === "idle"`, 10*time.Second, `document.body.dataset.state`)

	stageShots(t, sh, stages, "welcome")
	sh.shot(btn, "button-idle")

	// A speech, running, with a message for the speaker.
	s.command(t, `{"type":"goto","segment":"phat-bieu-chi-dao"}`)
	s.command(t, `{"type":"start"}`)
	for _, p := range stages {
		p.wait(`document.body.dataset.mode === "segment" && document.getElementById("s-clock").textContent.startsWith("14:")`, 5*time.Second, `document.getElementById("s-clock").textContent`)
	}
	stageShots(t, sh, stages, "segment")
	presenter.wait(`document.getElementById("p-now").textContent.includes("Phát biểu chỉ đạo")`, 5*time.Second, `document.getElementById("p-now").textContent`)
	sh.shot(presenter, "presenter-running")
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	sh.shot(mc, "mc-running")
	s.command(t, `{"type":"message","text":"Còn 5 phút, xin đồng chí chuẩn bị kết thúc"}`)
	presenter.wait(`!document.getElementById("p-msg").hidden`, 5*time.Second, `document.getElementById("p-msg").hidden`)
	time.Sleep(200 * time.Millisecond)
	sh.shot(presenter, "presenter-message")
	// Overtime: the clock in red, "+mm:ss".
	s.command(t, `{"type":"add-time","seconds":-900}`)
	presenter.wait(`document.getElementById("p-clock").textContent.startsWith("+")`, 5*time.Second, `document.getElementById("p-clock").textContent`)
	stages[0].wait(`document.getElementById("s-clock").textContent.startsWith("+")`, 5*time.Second, `document.getElementById("s-clock").textContent`)
	sh.shot(presenter, "presenter-overtime")
	sh.shot(stages[0], "stage-1920x1080-overtime")
	mc.click("tab-devices")
	mc.wait(`document.querySelectorAll("#dev-rows tr").length >= 6`, 10*time.Second, `document.getElementById("dev-rows").innerText`)
	time.Sleep(300 * time.Millisecond)
	sh.shot(mc, "mc-devices")
	s.command(t, `{"type":"clear-message"}`)

	// The launch: armed, one of two presses counted.
	s.command(t, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	s.command(t, `{"type":"arm"}`)
	if code, body := s.api(t, http.MethodPost, "/api/v1/press", `{"button":"nut-2","name":"Nút của Bí thư Tỉnh ủy","pressId":"p-1"}`); code != http.StatusOK {
		t.Fatalf("press: %d %s", code, body)
	}
	for _, p := range stages {
		p.wait(`document.body.dataset.mode === "launch" && document.getElementById("l-count").textContent.includes("1/3")`, 5*time.Second, `document.getElementById("l-count").textContent`)
	}
	stageShots(t, sh, stages, "launch-armed")
	mc.click("tab-launch")
	time.Sleep(200 * time.Millisecond)
	sh.shot(mc, "mc-launch-armed")
	btn.wait(`document.body.dataset.state === "armed"`, 5*time.Second, `document.body.dataset.state`)
	sh.shot(btn, "button-armed")

	// The fire: this button is counted (2/3), then a third one fires.
	btn.click("bp-button")
	btn.wait(`document.body.dataset.state === "counted"`, 5*time.Second, `document.body.dataset.state`)
	sh.shot(btn, "button-counted")
	if code, body := s.api(t, http.MethodPost, "/api/v1/press", `{"button":"nut-3","name":"Nút của Chủ tịch HĐND tỉnh","pressId":"p-3"}`); code != http.StatusOK {
		t.Fatalf("press: %d %s", code, body)
	}
	for _, p := range stages {
		p.wait(`window.phatdongFire && !document.getElementById("fire").hidden`, 5*time.Second, stageMode)
	}
	// A screenshot takes seconds on a busy machine: one live shot, and stills
	// of every screen shape below (?preview=fire&at=…).
	sh.shot(stages[0], "stage-1920x1080-fire-live")
	sh.shot(btn, "button-fired")
	for _, p := range stages {
		p.wait(`window.phatdongFire.done && document.getElementById("fire").hidden`, 8*time.Second, `window.phatdongFire`)
	}
	stageShots(t, sh, stages, "closing")
	for _, size := range screenSizes {
		for _, at := range []int{600, 1500, 3200} {
			p := open(t, browser, s.URL+fmt.Sprintf("/stage?preview=fire&at=%d", at), size[0], size[1])
			p.wait(`!document.getElementById("fire").hidden`, 10*time.Second, stageMode)
			sh.shot(p, fmt.Sprintf("stage-%dx%d-fire-%04dms", size[0], size[1], at))
			p.checkConsole()
			p.do(chromedp.Navigate("about:blank"))
		}
	}
	mc.wait(`!document.getElementById("lp-fired").hidden`, 5*time.Second, `document.getElementById("lp-fired").hidden`)
	time.Sleep(1500 * time.Millisecond) // the stages' reports reach the panel
	sh.shot(mc, "mc-launch-fired")

	// The editor, and one of its errors.
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	ed.wait(`document.querySelectorAll(".seg").length === 9`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	sh.shot(ed, "edit")
	ed.setField("segments[0].durationSec", "abc")
	ed.click("ed-save")
	ed.js(`window.scrollTo(0, 0)`)
	time.Sleep(200 * time.Millisecond)
	sh.shot(ed, "edit-error")

	if sh.dir != "" {
		t.Logf("%d screenshots in %s", sh.n, sh.dir)
	}
	for _, p := range append(stages, presenter, mc, btn, ed) {
		p.checkConsole()
	}
}
