package display

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/delayproxy"
)

// TestLinkJSReconnectsToHub cuts a screen's connection to the real server
// and fires the launch while it is away: the screen reconnects, learns of
// the fire from the full state it gets at once, starts the moment once and
// reports it.
func TestLinkJSReconnectsToHub(t *testing.T) {
	pages := httptest.NewServer(spreadPages())
	t.Cleanup(pages.Close)
	engine, hub, server := spreadServer(t, pages.URL)
	proxy := delayproxy.New(t, strings.TrimPrefix(server.URL, "http://"), 20*time.Millisecond, time.Millisecond)
	tab := browsertest.NewTab(t, browsertest.NewBrowser(t))
	console := browsertest.WatchConsole(t, tab)
	script := page.AddScriptToEvaluateOnNewDocumentParams{Source: momentRecorderJS}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, script); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(pages.URL+"/spread.html?ws=ws://"+proxy.Addr()+"/ws")); err != nil {
		t.Fatal(err)
	}
	spreadWait(t, tab, "window.__status && window.__status.synced", 10*time.Second, "the screen to sync")

	cut := time.Now()
	proxy.Cut()
	spreadExecute(t, engine, controller.Command{Type: controller.CmdArm})
	spreadExecute(t, engine, controller.Command{Type: controller.CmdFire})
	l := engine.Snapshot().State.Launch
	spreadWait(t, tab, "window.__drops === 1 && window.__status.connected", 5*time.Second, "the screen to reconnect")
	back := time.Since(cut)
	js := fmt.Sprintf("window.__starts[%q]", l.FireID)
	spreadWait(t, tab, js, 5*time.Second, "the screen to start the moment")
	st, err := chromedp.Run(tab, chromedp.Evaluate[spreadStart](js))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reconnected %v after the cut; started %s %.2f ms after fireAt (late %.2f ms), lead %d ms",
		back.Round(time.Millisecond), l.FireID, st.TrueMs-st.FireAt, st.Late, l.FireAt-l.FiredAt)
	if back > 2500*time.Millisecond {
		t.Errorf("the screen took %v to reconnect, want under the 2 s backoff cap", back)
	}
	f := spreadHubReports(t, hub, l.FireID, 1)
	if len(f.Devices) == 1 {
		t.Logf("the server got the report: started %.2f ms after fireAt, joined late: %v", f.Devices[0].LateMs, f.Devices[0].JoinedLate)
	}
	spreadWait(t, tab, "window.__status.synced", 5*time.Second, "the screen to sync again")
	console.Check(t)
}
