package pagetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// opToken is the administrator's token of the test server.
const opToken = "pagetest-operator-token"

// server is the real phatdong server, in process.
type server struct {
	URL    string
	engine *controller.Engine
	test   *displaytest.Server
}

// buttonLink is the /button page's address for a button with a key of its
// own, made now.
func (s *server) buttonLink(t testing.TB, button, name string) string {
	t.Helper()
	return s.URL + "/button#key=" + s.test.ButtonKey(t, button) + "&button=" + button + "&name=" + name
}

// startServer runs the server on 127.0.0.1 with a fresh store holding the
// default show, until the test ends.
func startServer(t testing.TB) *server {
	t.Helper()
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Expiry: true})
	return &server{URL: srv.URL, engine: srv.Engine, test: srv}
}

// api calls the HTTP API with the operator token and returns the status
// and the body.
func (s *server) api(t testing.TB, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+opToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, data
}

// command sends one command and fails the test if it is refused.
func (s *server) command(t testing.TB, cmd string) {
	t.Helper()
	if code, body := s.api(t, http.MethodPost, "/api/v1/commands", cmd); code != http.StatusOK {
		t.Fatalf("command %s: %d %s", cmd, code, body)
	}
}

// putShow replaces the show, forcing it over a running clock.
func (s *server) putShow(t *testing.T, show string) {
	t.Helper()
	if code, body := s.api(t, http.MethodPut, "/api/v1/show?force=1", show); code != http.StatusOK {
		t.Fatalf("put show: %d %s", code, body)
	}
}

// gotoKind moves the show to its first segment of the given kind.
func (s *server) gotoKind(t testing.TB, kind controller.Kind) {
	t.Helper()
	snap := s.engine.Snapshot()
	for _, g := range snap.Show.Segments {
		if g.Kind == kind {
			s.command(t, `{"type":"goto","segment":"`+g.ID+`"}`)
			return
		}
	}
	t.Fatalf("the show has no %s segment", kind)
}

// page is one tab showing one page, with its console watched.
type page struct {
	t       testing.TB
	ctx     context.Context
	console *browsertest.Console
	name    string
}

// open opens url in a new tab of browser with a w×h viewport.
func open(t testing.TB, browser context.Context, url string, w, h int64) *page {
	t.Helper()
	tab := browsertest.NewTab(t, browser)
	p := &page{t: t, ctx: tab, console: browsertest.WatchConsole(t, tab), name: url}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(w, h), chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return p
}

// do runs actions in the tab.
func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

// js evaluates an expression for its side effects.
func (p *page) js(expr string) {
	p.t.Helper()
	p.do(chromedp.Evaluate[chromedp.Void](expr))
}

// eval evaluates an expression and decodes its value.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: eval %s: %v", p.name, expr, err)
	}
	return v
}

// text is the text of the element with the id.
func (p *page) text(id string) string {
	p.t.Helper()
	return eval[string](p, `(document.getElementById(`+quote(id)+`)||{}).textContent||""`)
}

// wait polls cond (a JavaScript expression) until it is true, and fails
// the test after timeout with what explain (an expression) says then.
func (p *page) wait(cond string, timeout time.Duration, explain string) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			got := "?"
			if explain != "" {
				if v, err2 := chromedp.Run(p.ctx, chromedp.Evaluate[any](explain)); err2 == nil {
					b, _ := json.Marshal(v)
					got = string(b)
				}
			}
			p.t.Fatalf("%s: waited %v for %s (err %v); %s = %s", p.name, timeout, cond, err, explain, got)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// click clicks the element with the id, as a user would (a real mouse
// event at its centre).
func (p *page) click(id string) {
	p.t.Helper()
	x, y := p.center(id)
	p.do(chromedp.MouseClickXY(x, y))
}

// center is the centre of the element with the id, in viewport pixels.
func (p *page) center(id string) (float64, float64) {
	p.t.Helper()
	p.js(`document.getElementById(` + quote(id) + `).scrollIntoView({block: "center"})`)
	c := eval[[]float64](p, `(() => { const r = document.getElementById(`+quote(id)+`).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	return c[0], c[1]
}

// screenshot captures the viewport as PNG.
func (p *page) screenshot() []byte {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("%s: screenshot: %v", p.name, err)
	}
	return b
}

// checkConsole fails the test with the page's console errors, except the
// browser's own notes of the network failures a test provoked on purpose
// (expected holds parts of those lines). Errors of the page's scripts
// always fail.
func (p *page) checkConsole(expected ...string) {
	p.t.Helper()
next:
	for _, e := range p.console.Errors() {
		for _, x := range expected {
			if strings.HasPrefix(e, "network error: ") && strings.Contains(e, x) {
				continue next
			}
		}
		p.t.Errorf("%s: console error: %s", p.name, e)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Conditions on the pages, as JavaScript.
const (
	stageMode  = `document.body.dataset.mode`
	stageReady = `document.body.dataset.mode && document.body.dataset.mode !== "connecting"`
	mcReady    = `document.getElementById("chip-net").classList.contains("ok") && document.querySelectorAll("#rundown li").length > 0`
)

// goTo loads url afresh, even when only its fragment differs from the
// page's address (which alone would not reload the page).
func (p *page) goTo(url string) {
	p.t.Helper()
	p.name = url
	p.do(chromedp.Navigate("about:blank"), chromedp.Navigate(url))
}

// reload reloads the page.
func (p *page) reload() {
	p.t.Helper()
	p.do(chromedp.Reload())
}

// startServerWithSharedKey is startServer on a database of an older
// version, which still holds the shared button key.
func startServerWithSharedKey(t testing.TB, key string) *server {
	t.Helper()
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, ButtonKey: key, Pages: static.FS, Expiry: true})
	return &server{URL: srv.URL, engine: srv.Engine, test: srv}
}
