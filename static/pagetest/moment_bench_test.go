package pagetest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

// BenchmarkMoment plays the launch moment with the stage's self-test
// (/stage?selftest=1: the moment alone, as on a screen PC in the hall) at
// the screen shapes of a hall, in headless Chromium with software
// rendering, and reports its frame rate, median frame, longest gap after
// the first 100 ms and the quality level it kept. Each iteration is one
// page load and one moment (about 8 s):
//
//	go test ./static/pagetest -run '^$' -bench Moment -benchtime 3x
//
// PHATDONG_BENCH_CHROMIUM changes the browser's flags, to compare them
// (deploy/kiosk/README.md): space-separated `name`, `name=value`, or
// `!name` to drop one of browsertest's, e.g. "!disable-gpu".
func BenchmarkMoment(b *testing.B) {
	s := startServer(b)
	browser := browsertest.NewBrowser(b, benchFlags()...)
	for _, size := range [][2]int64{{1920, 1080}, {3840, 768}, {3840, 2160}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			var fps, median, gap, quality float64
			for range b.N {
				p := open(b, browser, s.URL+"/stage?selftest=1&quality=3", size[0], size[1])
				p.wait(`window.phatdongFire && window.phatdongFire.done && !document.getElementById("selftest").hidden`, 20*time.Second, `window.phatdongFire`)
				st := eval[fireStats](p, `window.phatdongFire`)
				fps += st.FPS
				median += st.MedianMs
				gap = max(gap, st.MaxGapAfterMs)
				quality += float64(st.Quality)
				p.goTo("about:blank")
			}
			n := float64(b.N)
			b.ReportMetric(fps/n, "fps")
			b.ReportMetric(median/n, "median-ms")
			b.ReportMetric(gap, "worst-gap-ms")
			b.ReportMetric(quality/n, "quality")
		})
	}
}

// benchFlags reads PHATDONG_BENCH_CHROMIUM.
func benchFlags() []chromedp.ExecAllocatorOption {
	var opts []chromedp.ExecAllocatorOption
	for _, f := range strings.Fields(os.Getenv("PHATDONG_BENCH_CHROMIUM")) {
		name, value, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
		switch {
		case strings.HasPrefix(name, "!"):
			opts = append(opts, chromedp.Flag(strings.TrimLeft(name[1:], "-"), false))
		case hasValue:
			opts = append(opts, chromedp.Flag(name, value))
		default:
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	return opts
}

// BenchmarkCountdown measures the stage's frame rate while a segment runs
// (the clock and its bar redrawn every frame) over two seconds at 1080p.
func BenchmarkCountdown(b *testing.B) {
	s := startServer(b)
	s.gotoKind(b, controller.KindSpeech)
	s.command(b, `{"type":"start"}`)
	browser := browsertest.NewBrowser(b)
	p := open(b, browser, s.URL+"/stage", 1920, 1080)
	p.wait(`document.body.dataset.mode === "segment"`, 10*time.Second, stageMode)
	time.Sleep(time.Second) // the slide's cross-fade
	var fps, gap float64
	for range b.N {
		f := measureIdle(p)
		fps += f.FPS
		gap = max(gap, f.MaxMs)
	}
	b.ReportMetric(fps/float64(b.N), "fps")
	b.ReportMetric(gap, "worst-gap-ms")
}
