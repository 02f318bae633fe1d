package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// pages serves a quiet page and a noisy one, and no favicon, on purpose.
func pages() http.Handler {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!doctype html><title>test</title>\n" + body))
		}
	}
	mux.Handle("/quiet", page(`<script>
console.log("hello"); console.warn("careful"); console.info({a: 1}); console.assert(true, "fine");
</script>`))
	mux.Handle("/noisy", page(`<script type="module" src="/missing.js"></script>
<script>
console.error("bad", 42, null);
console.assert(1 === 2, "one is not two");
Promise.reject(new Error("rejected"));
throw new TypeError("boom");
</script>`))
	return mux
}

func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(pages())
	t.Cleanup(srv.Close)
	browser := browsertest.NewBrowser(t)

	t.Run("window", func(t *testing.T) {
		t.Parallel()
		tab := browsertest.NewTab(t, browser)
		size, err := chromedp.Run(tab, chromedp.Evaluate[[]int]("[window.outerWidth, window.outerHeight]"))
		if err != nil {
			t.Fatal(err)
		}
		if size[0] != browsertest.Width || size[1] != browsertest.Height {
			t.Errorf("window is %dx%d, want %dx%d", size[0], size[1], browsertest.Width, browsertest.Height)
		}
	})

	t.Run("quiet page has no console errors", func(t *testing.T) {
		t.Parallel()
		tab := browsertest.NewTab(t, browser)
		console := browsertest.WatchConsole(t, tab)
		// The pause gives the browser time to ask for the missing favicon.
		if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/quiet"), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		console.Check(t)
	})

	t.Run("noisy page", func(t *testing.T) {
		t.Parallel()
		tab := browsertest.NewTab(t, browser)
		console := browsertest.WatchConsole(t, tab)
		if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/noisy")); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"console.error: bad 42 null",
			"console.assert: one is not two",
			"Uncaught (in promise) Error: rejected (" + srv.URL + "/noisy:",
			"Uncaught TypeError: boom (" + srv.URL + "/noisy:",
			"404 (Not Found) (" + srv.URL + "/missing.js)",
		}
		var got []string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			got = console.Errors()
			if len(missing(got, want)) == 0 || time.Now().After(deadline) {
				break
			}
		}
		if m := missing(got, want); len(m) > 0 {
			t.Errorf("errors not recorded: %q\nrecorded: %q", m, got)
		}
		if len(got) != len(want) {
			t.Errorf("recorded %d errors, want %d: %q", len(got), len(want), got)
		}
	})
}

// missing returns the entries of want that no entry of got contains.
func missing(got, want []string) []string {
	var out []string
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, w)
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}

func TestChromePath(t *testing.T) {
	found, err := browsertest.ChromePath()
	if err != nil {
		t.Fatalf("%v; install it with: %s", err, browsertest.InstallHint)
	}
	t.Setenv("CHROME_PATH", found)
	if got, err := browsertest.ChromePath(); got != found || err != nil {
		t.Errorf("with CHROME_PATH=%s: %q, %v", found, got, err)
	}
	t.Setenv("CHROME_PATH", "/nonexistent/chromium")
	if got, err := browsertest.ChromePath(); err == nil || !strings.Contains(err.Error(), "CHROME_PATH") {
		t.Errorf("with a wrong CHROME_PATH: %q, %v; want an error naming CHROME_PATH", got, err)
	}
}
