package pagetest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// jsDir holds the pages' modules, relative to this package.
const jsDir = "../js"

// openModule serves jsDir on its own, opens a blank page in a new browser
// and imports static/js/<name> into it as window.mod, so that a test can
// call the module's functions on a table of inputs. The page's console
// must stay free of errors.
func openModule(t *testing.T, name string) context.Context {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(jsDir))))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>module</title>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tab := browsertest.NewTab(t, browsertest.NewBrowser(t))
	console := browsertest.WatchConsole(t, tab)
	t.Cleanup(func() { console.Check(t) })
	if err := chromedp.Do(tab,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`import("/js/%s").then((m) => { window.mod = m; })`, name), chromedp.EvalAwaitPromise),
	); err != nil {
		t.Fatalf("loading %s: %v", name, err)
	}
	return tab
}
