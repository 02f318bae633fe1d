package pagetest

import (
	"net/http"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// The MC is warned while the shared button key of an older database still
// opens, and the warning goes when the key is revoked.
func TestMCWarnsOfTheSharedButtonKey(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, ButtonKey: "an-old-shared-key-1234", Pages: static.FS, Expiry: true})
	s := &server{URL: srv.URL, engine: srv.Engine, test: srv}
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	warning := `document.getElementById("mc-warnings")`
	mc.wait(`!`+warning+`.hidden && `+warning+`.innerText.includes("Khoá nút bấm dùng chung")`, 10*time.Second, warning+`.outerHTML`)
	if code, body := s.api(t, http.MethodDelete, "/api/v1/credentials/shared-button-key", ""); code != http.StatusOK {
		t.Fatalf("revoke the shared key: %d %s", code, body)
	}
	mc.wait(warning+`.hidden`, 10*time.Second, warning+`.outerHTML`)
	mc.checkConsole()
}
