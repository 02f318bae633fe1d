package pagetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// Each page loads, connects and draws the state without a console error,
// in the embedded typeface: its Vietnamese letters come from the server's
// Be Vietnam Pro files, not from whatever fonts the screen's PC has.
func TestPagesLoadWithoutConsoleErrors(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	pages := []struct {
		path  string
		ready string
	}{
		{"/stage?name=Sân khấu", stageReady},
		{"/presenter", `document.getElementById("p-clock").textContent !== "--:--"`},
		{"/mc#token=" + opToken, mcReady},
		{"/edit", `document.querySelectorAll(".seg").length > 0 && document.getElementById("ed-status").classList.contains("saved")`},
		{strings.TrimPrefix(s.buttonLink(t, "nut-1", "Nút 1"), s.URL), `document.body.dataset.state === "idle"`},
	}
	for _, pg := range pages {
		p := open(t, browser, s.URL+pg.path, 1920, 1080)
		p.wait(pg.ready, 10*time.Second, `document.body.innerText.slice(0, 300)`)
		lang := eval[string](p, `document.documentElement.lang`)
		if lang != "vi" {
			t.Errorf("%s: lang %q, want vi", pg.path, lang)
		}
		font, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
			Family string   `json:"family"`
			Loaded []string `json:"loaded"`
		}](`document.fonts.ready.then(() => ({
			family: getComputedStyle(document.body).fontFamily,
			loaded: [...document.fonts].filter(f => f.status === "loaded").map(f => f.family + " " + f.weight),
		}))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: fonts: %v", pg.path, err)
		}
		if !strings.HasPrefix(font.Family, `"Be Vietnam Pro"`) {
			t.Errorf("%s: body font %s, want the embedded Be Vietnam Pro first", pg.path, font.Family)
		}
		if !slices.ContainsFunc(font.Loaded, func(f string) bool {
			return strings.HasPrefix(f, `"Be Vietnam Pro"`) || strings.HasPrefix(f, "Be Vietnam Pro")
		}) {
			t.Errorf("%s: no embedded font file loaded (%v)", pg.path, font.Loaded)
		}
		p.checkConsole()
	}
}

// The MC's first visit asks for the token, remembers it on the device, and
// takes it out of the address bar.
func TestMCRemembersTheToken(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	p := open(t, browser, s.URL+"/mc", 1280, 800)
	p.wait(`document.getElementById("token-input")`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	p.js(`document.getElementById("token-input").value = "wrong-token"`)
	p.js(`document.querySelector('.modal [data-value="true"]').click()`)
	// A wrong token is refused and asked for again.
	p.wait(`document.getElementById("token-input") && document.querySelector(".modal p").textContent.includes("không đúng")`, 10*time.Second, `document.body.innerText.slice(0, 300)`)
	p.js(`document.getElementById("token-input").value = ` + quote(opToken))
	p.js(`document.querySelector('.modal [data-value="true"]').click()`)
	p.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 300)`)
	if got := eval[string](p, `localStorage.getItem("phatdong.operatorToken")`); got != opToken {
		t.Errorf("stored token %q", got)
	}
	// A reload needs no token any more; a #token link is removed from the address.
	p.goTo(s.URL + "/mc#token=" + opToken)
	p.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 300)`)
	if u := eval[string](p, `location.href`); strings.Contains(u, opToken) {
		t.Errorf("the token stays in the address: %s", u)
	}
	if n := eval[int](p, `document.querySelectorAll(".modal").length`); n != 0 {
		t.Errorf("%d dialogs open after a reload with a remembered token", n)
	}
	p.checkConsole()
}

// The devices panel lists every connected screen and button.
func TestMCShowsConnectedScreens(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, s.URL+"/stage?name="+"Màn LED chính", 1280, 720)
	stage.wait(stageReady, 10*time.Second, stageMode)
	button := open(t, browser, s.buttonLink(t, "nut-7", "Nút của Chủ tịch"), 800, 800)
	button.wait(`document.body.dataset.state === "idle"`, 10*time.Second, `document.body.dataset.state`)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-devices")
	rows := `[...document.querySelectorAll("#dev-rows tr")].map(r => r.innerText.replace(/\s+/g, " "))`
	mc.wait(`document.getElementById("dev-rows").innerText.includes("Màn LED chính") && document.getElementById("dev-rows").innerText.includes("Nút của Chủ tịch")`, 10*time.Second, rows)
	// The stage reports its clock: its round trip shows once it is synced.
	mc.wait(`[...document.querySelectorAll("#dev-rows tr[data-role=stage] td.num")][0].textContent.includes("ms")`, 15*time.Second, rows)
	summary := mc.text("dev-summary")
	for _, want := range []string{"Màn chiếu: 1", "Nút bấm: 1", "Điều khiển: 1"} {
		if !strings.Contains(summary, want) {
			t.Errorf("devices summary %q lacks %q", summary, want)
		}
	}
	for _, p := range []*page{stage, button, mc} {
		p.checkConsole()
	}
}
