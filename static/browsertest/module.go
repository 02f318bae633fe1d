package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// OpenModule serves the JavaScript modules of dir under /js/, opens a
// blank page in a new browser and imports the module name into it as
// window[global], so that a test can call the module's functions on a
// table of inputs (and compare them with their Go twins). The page's
// console must stay free of errors until the test ends.
func OpenModule(t testing.TB, dir, name, global string) context.Context {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(dir))))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>module</title>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tab := NewTab(t, NewBrowser(t))
	console := WatchConsole(t, tab)
	t.Cleanup(func() { console.Check(t) })
	load := fmt.Sprintf(`import("/js/%s").then((m) => { window[%q] = m; })`, name, global)
	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/"), chromedp.Evaluate[chromedp.Void](load, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("browsertest: loading %s: %v", name, err)
	}
	return tab
}
