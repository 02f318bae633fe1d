package pagetest

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// The MC's devices pane shows the release the server reports in /healthz.
func TestMCShowsTheServerVersion(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Version: "v1.2.3-test"})
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, srv.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-devices")
	mc.wait(`!document.getElementById("srv-version").hidden && document.getElementById("srv-version").getBoundingClientRect().height > 0`,
		10*time.Second, `document.getElementById("srv-version").outerHTML`)
	if got := mc.text("srv-version"); got != "Phiên bản máy chủ: v1.2.3-test" {
		t.Errorf("the devices pane says %q", got)
	}
	mc.checkConsole()
}
