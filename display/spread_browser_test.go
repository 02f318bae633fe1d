package display

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/delayproxy"
)

// oneFrame is one video frame at 60 Hz, in ms: the bound on how far apart
// the screens may start the launch moment.
const oneFrame = 1000.0 / 60

// spreadRounds is how many times the spread test fires the launch.
const spreadRounds = 5

// spreadScreen is one screen of the spread test: its clock is off by skew,
// and its network path delays each way by delay.
type spreadScreen struct {
	skew  time.Duration
	delay time.Duration
	tab   context.Context
}

// skewMs is the screen's clock error in ms.
func (s spreadScreen) skewMs() float64 { return float64(s.skew) / float64(time.Millisecond) }

// spreadStart is what momentRecorderJS records when a page starts the
// moment; times are Unix ms on the true clock.
type spreadStart struct {
	FireID     string  `json:"fireId"`
	Late       float64 `json:"late"`
	FireAt     float64 `json:"fireAt"`
	TrueMs     float64 `json:"trueMs"`
	IntendedMs float64 `json:"intendedMs"`
	NaiveMs    float64 `json:"naiveMs"`
	SeenMs     float64 `json:"seenMs"`
	Offset     float64 `json:"offset"`
}

// spreadClock is a screen's clock estimate.
type spreadClock struct {
	RTT         float64 `json:"rtt"`
	Uncertainty float64 `json:"uncertainty"`
}

// TestLaunchSpread fires the launch at screens whose clocks are off by up
// to ±10 s and whose network paths differ by up to 150 ms each way, and
// requires them to start the moment within one frame of each other on the
// true clock. Without clock sync they would be seconds apart.
//
// Two figures per fire: the sync spread, of the instants at which each
// screen's corrected clock read fireAt (what clock sync controls), held to
// one frame every time, and the start spread, of the instants the screens
// actually started, which adds the browser's and the OS's scheduling, held
// to one frame in the median of the fires and to three frames in every
// one. The five renderers share this machine's two cores, so the
// test command runs test packages one at a time (.ci/test): another
// package's load would deschedule a renderer for tens of ms.
func TestLaunchSpread(t *testing.T) {
	began := time.Now()
	screens := []spreadScreen{
		{skew: -10 * time.Second, delay: 150 * time.Millisecond},
		{skew: -6217 * time.Millisecond, delay: 0},
		{skew: -1304 * time.Millisecond, delay: 90 * time.Millisecond},
		{skew: 3791 * time.Millisecond, delay: 35 * time.Millisecond},
		{skew: 10 * time.Second, delay: 120 * time.Millisecond},
	}
	pages := httptest.NewServer(spreadPages())
	t.Cleanup(pages.Close)
	engine, hub, server := spreadServer(t, pages.URL)
	browser := browsertest.NewBrowser(t)
	consoles := spreadOpen(t, browser, screens, strings.TrimPrefix(server.URL, "http://"), 3*time.Millisecond, func(proxy string, n int) string {
		return fmt.Sprintf("%s/spread.html?ws=ws://%s/ws&name=M%%C3%%A0n+%d", pages.URL, proxy, n)
	})
	opened := time.Now()
	for i, sc := range screens {
		spreadWait(t, sc.tab, "window.__status && window.__status.synced", 15*time.Second, fmt.Sprintf("screen %d to sync", i+1))
	}
	t.Logf("browser and %d screens ready in %v; all synced %v later",
		len(screens), opened.Sub(began).Round(time.Millisecond), time.Since(opened).Round(time.Millisecond))

	spreadExecute(t, engine, controller.Command{Type: controller.CmdRehearsal, On: new(true)})
	var starts, syncs []float64
	for round := range spreadRounds {
		if round > 0 {
			spreadExecute(t, engine, controller.Command{Type: controller.CmdResetLaunch})
		}
		spreadExecute(t, engine, controller.Command{Type: controller.CmdArm})
		spreadExecute(t, engine, controller.Command{Type: controller.CmdFire})
		start, sync := spreadRound(t, engine.Snapshot().State.Launch, screens, hub)
		starts, syncs = append(starts, start), append(syncs, sync)
	}
	slices.Sort(starts)
	slices.Sort(syncs)
	// The sync spread is where the pages' corrected clocks read fireAt. A
	// broken correction misses by the offset error it failed to remove
	// (tens of ms to seconds) in every fire; a browser descheduled at the
	// instant has pushed one fire in several just past a frame on a quiet
	// 2-core machine (18 and 26 ms seen, offsets right within 3 ms).
	if m := syncs[len(syncs)/2]; m > oneFrame {
		t.Errorf("the screens' corrected clocks read fireAt a median %.2f ms apart, want at most one frame (%.1f ms)", m, oneFrame)
	}
	if worst := syncs[len(syncs)-1]; worst > 3*oneFrame {
		t.Errorf("in one fire the screens' corrected clocks read fireAt %.2f ms apart, want at most three frames (%.1f ms)", worst, 3*oneFrame)
	}
	median := starts[len(starts)/2]
	t.Logf("start spread over %d fires: median %.2f ms, worst %.2f ms; the test took %v",
		spreadRounds, median, starts[len(starts)-1], time.Since(began).Round(time.Millisecond))
	// A renderer descheduled for a few ms at the instant sometimes pushes
	// one fire's start spread just past a frame on this shared machine (seen
	// 16.9 ms in CI).
	if median > oneFrame {
		t.Errorf("the screens started a median %.2f ms apart, want at most one frame (%.1f ms)", median, oneFrame)
	}
	// A broken correction misses by the path delay (up to 150 ms) or the
	// skew (seconds), in every fire.
	if worst := starts[len(starts)-1]; worst > 3*oneFrame {
		t.Errorf("in one fire the screens started %.2f ms apart, want at most three frames (%.1f ms)", worst, 3*oneFrame)
	}
	for i, c := range consoles {
		if errs := c.Errors(); len(errs) > 0 {
			t.Errorf("screen %d console: %q", i+1, errs)
		}
	}
}

// spreadRound reads and checks how the screens started one fire; it
// returns the start spread and the sync spread.
func spreadRound(t *testing.T, l controller.Launch, screens []spreadScreen, hub *Hub) (start, sync float64) {
	t.Helper()
	// Leave the browser alone until the moment has passed: polling a tab
	// costs CPU just when the screens need it.
	time.Sleep(time.Until(time.UnixMilli(l.FireAt).Add(200 * time.Millisecond)))
	var actual, intended, naive []float64
	for i, sc := range screens {
		js := fmt.Sprintf("window.__starts[%q]", l.FireID)
		spreadWait(t, sc.tab, js, 5*time.Second, fmt.Sprintf("screen %d to start %s", i+1, l.FireID))
		st, err := chromedp.Run(sc.tab, chromedp.Evaluate[spreadStart](js))
		if err != nil {
			t.Fatal(err)
		}
		clock, err := chromedp.Run(sc.tab, chromedp.Evaluate[spreadClock](`({rtt: phatdongLink.rtt, uncertainty: phatdongLink.uncertainty})`))
		if err != nil {
			t.Fatal(err)
		}
		if st.FireAt != float64(l.FireAt) {
			t.Errorf("screen %d started %s at fireAt %.0f, want %d", i+1, l.FireID, st.FireAt, l.FireAt)
		}
		t.Logf("%s screen %d: skew %+6.0f ms, %3v each way (rtt %5.1f ms): offset error %+5.2f ms (±%.1f); fire event %3.0f ms ahead; started %+5.2f ms from fireAt (late %.2f ms)",
			l.FireID, i+1, sc.skewMs(), sc.delay, clock.RTT, st.Offset+sc.skewMs(), clock.Uncertainty,
			st.FireAt-st.SeenMs, st.TrueMs-st.FireAt, st.Late)
		actual = append(actual, st.TrueMs)
		intended = append(intended, st.IntendedMs)
		naive = append(naive, st.NaiveMs)
	}
	spread := func(v []float64) float64 { return slices.Max(v) - slices.Min(v) }
	f := spreadHubReports(t, hub, l.FireID, len(screens))
	t.Logf("%s: start spread %.2f ms, sync spread %.2f ms, without sync %.0f ms; the server counted %d reports, spread %.2f ms",
		l.FireID, spread(actual), spread(intended), spread(naive), f.Reports, f.SpreadMs)
	if s := spread(naive); s < 1000 {
		t.Errorf("%s: without clock sync the screens would start only %.0f ms apart; the skews should make that seconds", l.FireID, s)
	}
	return spread(actual), spread(intended)
}

// spreadHubReports waits for the hub to hold want reports of a fire, and
// returns what it made of them.
func spreadHubReports(t *testing.T, hub *Hub, fireID string, want int) FireSpread {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		for _, f := range hub.Fires() {
			if f.FireID == fireID && len(f.Devices) == want {
				return f
			}
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: the hub did not get %d reports: %+v", fireID, want, hub.Fires())
			return FireSpread{}
		}
	}
}

// spreadOpen opens a page in one tab per screen, each with its clock
// skewed, the page and its websocket through its own delaying proxy (jitter
// on top of the screen's delay), and the starts of the moment recorded
// (momentRecorderJS); pageURL gives the page's address for a proxy's
// host:port and the screen's number. It waits for the page's link and
// checks the skew took.
func spreadOpen(t *testing.T, browser context.Context, screens []spreadScreen, serverAddr string, jitter time.Duration, pageURL func(proxy string, n int) string) []*browsertest.Console {
	t.Helper()
	consoles := make([]*browsertest.Console, len(screens))
	for i := range screens {
		sc := &screens[i]
		proxy := delayproxy.New(t, serverAddr, sc.delay, jitter)
		sc.tab = browsertest.NewTab(t, browser)
		consoles[i] = browsertest.WatchConsole(t, sc.tab)
		for _, js := range []string{skewScript(sc.skewMs()), momentRecorderJS} {
			script := page.AddScriptToEvaluateOnNewDocumentParams{Source: js}
			if _, err := chromedp.Call(sc.tab, page.AddScriptToEvaluateOnNewDocument, script); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(sc.tab, chromedp.Navigate(pageURL(proxy.Addr(), i+1))); err != nil {
			t.Fatal(err)
		}
		spreadWait(t, sc.tab, "window.phatdongLink", 15*time.Second, fmt.Sprintf("screen %d to load", i+1))
		seen, err := chromedp.Run(sc.tab, chromedp.Evaluate[[]float64](clockOffsetsJS))
		if err != nil {
			t.Fatal(err)
		}
		// Date.now() counts whole ms, and the wall clock drifts a little
		// from the monotonic one the page's true clock is made of.
		for _, s := range seen {
			if math.Abs(s-sc.skewMs()) > 5 {
				t.Fatalf("screen %d sees its clocks off by %.1f ms, want the injected %.0f", i+1, seen, sc.skewMs())
			}
		}
	}
	return consoles
}

// momentRecorderJS runs before a page's scripts: at each start of the
// moment (the page's phatdong:moment event, as the stage page and
// testdata/spread.html announce it) it records, in window.__starts by fire
// id, the true instant, the instant at which the page's corrected clock
// read fireAt (its start without any scheduling delay), the instant at
// which its own uncorrected clock did (its start without clock sync), and
// when the fire event arrived if the page noted it in window.__seen.
const momentRecorderJS = `(() => {
  const trueNow = window.__trueNow || (() => performance.timeOrigin + performance.now());
  window.__starts = {};
  window.__seen = {};
  addEventListener('phatdong:moment', (e) => {
    const d = e.detail;
    const t = trueNow();
    const local = performance.timeOrigin + performance.now();
    __starts[d.fireId] = {
      fireId: d.fireId, late: d.lateMs, fireAt: d.fireAt,
      trueMs: t,
      intendedMs: t - (d.startedAt - d.fireAt),
      naiveMs: d.fireAt - (local - t),
      seenMs: __seen[d.fireId],
      offset: window.phatdongLink ? phatdongLink.offset : 0,
    };
  });
})();`

// clockOffsetsJS reads how far each clock a page can see is from the true
// clock. Each reading is bracketed by two true-clock reads less than 1 ms
// apart, so a renderer paused between two reads (seen: 20 ms under load)
// is retried rather than taken for a wrong skew.
const clockOffsetsJS = `(() => {
  const off = (clock) => {
    for (let i = 0; i < 100; i++) {
      const a = __trueNow(), v = clock(), b = __trueNow();
      if (b - a < 1) return v - (a + b) / 2;
    }
    return null;
  };
  return [off(() => Date.now()), off(() => new Date().getTime()), off(() => performance.timeOrigin + performance.now())];
})()`

// spreadExecute runs an operator command on the engine.
func spreadExecute(t *testing.T, engine *controller.Engine, cmd controller.Command) {
	t.Helper()
	if _, err := engine.Execute(cmd, controller.Actor{Role: "operator", Name: "spread test"}); err != nil {
		t.Fatalf("%s: %v", cmd.Type, err)
	}
}

// spreadServer runs the real server, pages included, on 127.0.0.1:0, with
// a store in a temporary directory, letting pages from origins (besides
// its own host) open the websocket.
func spreadServer(t *testing.T, origins ...string) (*controller.Engine, *Hub, *httptest.Server) {
	t.Helper()
	return pageServer(t, "spread-operator", func(c *Config) { c.AllowedOrigins = origins })
}

// pageServer runs the real server, pages included, on 127.0.0.1:0, with
// a store in a temporary directory and operator as the administrator's
// token; change adjusts its configuration.
func pageServer(t *testing.T, operator string, change func(*Config)) (*controller.Engine, *Hub, *httptest.Server) {
	t.Helper()
	engine, _ := testEngine(t)
	cfg := Config{Engine: engine, Auth: testAuth(t, operator, operator+"-button"), Pages: static.FS, Log: quietLog()}
	change(&cfg)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)
	return engine, srv.Hub(), hs
}

// spreadPages serves testdata/spread.html and the page scripts.
func spreadPages() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/spread.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "testdata/spread.html")
	})
	mux.Handle("/js/", http.FileServerFS(static.FS))
	return mux
}

// skewScript runs before any script of the page: it keeps the true clock
// as window.__trueNow, then shifts every clock the page can read by skewMs.
// performance.now() counts from performance.timeOrigin, so moving the
// origin moves timeOrigin + now() and leaves intervals alone, as on a
// machine whose wall clock is off.
func skewScript(skewMs float64) string {
	return fmt.Sprintf(`(() => {
  const skew = %f;
  const origin = performance.timeOrigin;
  const now = performance.now.bind(performance);
  const TrueDate = Date;
  Object.defineProperty(window, '__trueNow', { value: () => origin + now() });
  Object.defineProperty(performance, 'timeOrigin', { get: () => origin + skew, configurable: true });
  const skewedNow = () => TrueDate.now() + skew;
  function SkewedDate(...args) {
    if (!new.target) return new TrueDate(skewedNow()).toString();
    return args.length === 0 ? new TrueDate(skewedNow()) : new TrueDate(...args);
  }
  SkewedDate.prototype = TrueDate.prototype;
  SkewedDate.now = skewedNow;
  SkewedDate.parse = TrueDate.parse;
  SkewedDate.UTC = TrueDate.UTC;
  window.Date = SkewedDate;
})();`, skewMs)
}

// spreadWait polls a JavaScript condition in tab until it holds.
func spreadWait(t *testing.T, tab context.Context, cond string, timeout time.Duration, what string) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
		ok, err := chromedp.Run(tab, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
	}
}
