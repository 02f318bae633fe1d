// Package browsertest runs pages in headless Chromium for tests: one browser
// per test (or per package), one tab per page, and a record of the errors
// each tab writes to its console.
//
// A test that needs a browser fails, never skips, when Chromium is missing:
// a page test that silently does not run proves nothing.
//
//	browser := browsertest.NewBrowser(t)
//	tab := browsertest.NewTab(t, browser)
//	console := browsertest.WatchConsole(t, tab)
//	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL)); err != nil {
//		t.Fatal(err)
//	}
//	console.Check(t)
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// InstallHint is the command that installs the browser on Debian.
const InstallHint = "apt-get install -y chromium"

// The browser's window is a 1080p screen, as on the displays.
const (
	// Width is the window's width in CSS pixels.
	Width = 1920
	// Height is the window's height in CSS pixels.
	Height = 1080
)

// ChromePath finds the browser: $CHROME_PATH when it is set, else
// /usr/bin/chromium, else chromium, chromium-browser or google-chrome on PATH.
func ChromePath() (string, error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("browsertest: CHROME_PATH=%s: %w", p, err)
		}
		return found, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if found, err := exec.LookPath(name); err == nil {
			return found, nil
		}
	}
	return "", errors.New("browsertest: no Chromium found at /usr/bin/chromium or on PATH (chromium, chromium-browser, google-chrome), and CHROME_PATH is not set")
}

// Options are the flags NewBrowser starts Chromium with, after chromedp's
// defaults: headless, no sandbox (tests often run as root), no GPU, no
// background work, timers that keep their pace in hidden tabs, and media
// that may play without a click.
func Options(chromePath string) []chromedp.ExecAllocatorOption {
	return append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromePath),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.DisableGPU,
		chromedp.WindowSize(Width, Height),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
	)
}

// NewBrowser starts headless Chromium and returns its context; extra
// options come after Options. The browser stops when the test and its
// subtests are done. It fails the test, with the command that installs
// Chromium, when no browser is found.
func NewBrowser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := ChromePath()
	if err != nil {
		t.Fatalf("%v; install it with: %s", err, InstallHint)
	}
	opts := append(Options(path), extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	// The first Run starts the browser and binds its life to ctx, which
	// has no deadline: only the cleanup ends it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, err)
	}
	return ctx
}

// NewTab opens a new tab in the browser of browserCtx, a context from
// NewBrowser, and closes it when the test is done. Tabs may be used from
// parallel subtests, one goroutine per tab.
func NewTab(t testing.TB, browserCtx context.Context) context.Context {
	t.Helper()
	if c := chromedp.FromContext(browserCtx); c == nil || c.Browser == nil {
		t.Fatalf("browsertest: NewTab needs a context from NewBrowser")
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	return ctx
}
