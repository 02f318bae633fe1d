package pagetest

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// Over HTTPS the stage page connects its websocket with wss and draws the
// state, and the trust page loads under the same policy, without a console
// error. Chromium trusts the test server's key the way a device that
// installed the CA trusts the server: only that key (its SPKI hash), not
// every certificate.
func TestStageOverHTTPS(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, TLS: true})
	cert := srv.HTTP.Certificate()
	srv = displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, TLS: true, TrustCA: cert.Raw})
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("server at %s", srv.URL)
	}
	spki := sha256.Sum256(srv.HTTP.Certificate().RawSubjectPublicKeyInfo)
	browser := browsertest.NewBrowser(t, chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(spki[:])))

	p := open(t, browser, srv.URL+"/stage?name=Màn HTTPS", 1280, 720)
	p.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second,
		`[location.protocol, document.body.dataset.mode, window.phatdongLink && window.phatdongLink.connected]`)
	if got := eval[string](p, `location.protocol`); got != "https:" {
		t.Errorf("the page is on %s", got)
	}
	p.checkConsole()

	tp := open(t, browser, srv.URL+"/trust", 1280, 720)
	tp.wait(`document.getElementById("tr-fp") && document.getElementById("tr-fp").textContent.length === 95`, 10*time.Second,
		`document.body.innerText.slice(0, 300)`)
	if href := eval[string](tp, `document.getElementById("tr-download").getAttribute("href")`); href != "/trust/ca.crt" {
		t.Errorf("download link %q", href)
	}
	if bg := eval[string](tp, `getComputedStyle(document.body).backgroundColor`); bg == "rgba(0, 0, 0, 0)" {
		t.Error("the trust page's styles did not load")
	}
	tp.checkConsole()
}
