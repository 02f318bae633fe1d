package pagetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/faultproxy"
)

// faultRecorder notes, in each stage page, when its link's status changed
// (window.__net: [Date.now(), connected]) and when each segment title
// first showed (window.__seen: title → Date.now()), so that delays are
// measured in the page, not by the test's polling.
const faultRecorder = `(() => {
  window.__net = [];
  window.__seen = {};
  window.phatdongLink.on('status', (s) => window.__net.push([Date.now(), s.connected]));
  setInterval(() => {
    const k = document.getElementById('s-title').textContent;
    if (!(k in window.__seen)) window.__seen[k] = Date.now();
  }, 5);
})()`

// netAt is when the page's link first said connected == up at or after
// since (Unix ms), or 0.
func netAt(p *page, since int64, up bool) int64 {
	p.t.Helper()
	return eval[int64](p, fmt.Sprintf(`(window.__net.find(([t, c]) => t >= %d && c === %t) || [0])[0]`, since, up))
}

// seenAt is when the page first showed title, or 0.
func seenAt(p *page, title string) int64 {
	p.t.Helper()
	return eval[int64](p, `window.__seen[`+quote(title)+`] || 0`)
}

// waitMs polls get until it returns an instant (Unix ms), failing the test
// after timeout.
func waitMs(p *page, what string, timeout time.Duration, get func() int64) int64 {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if at := get(); at != 0 {
			return at
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %s: not within %v", p.name, what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ms(d int64) time.Duration { return time.Duration(d) * time.Millisecond }

// Stage pages (link.js in Chromium) through a network that drops, resets,
// stalls for 10 s and goes half-open, while the show moves on: each page
// notices a half-open link within 5 s by its own watchdog, and once a
// drop, a reset or a stall ends each shows the segment chosen during the
// fault within 3 s.
func TestFaultsPagesRecover(t *testing.T) {
	s := startServer(t)
	px := faultproxy.New(t, strings.TrimPrefix(s.URL, "http://"))
	browser := browsertest.NewBrowser(t)
	var stages []*page
	for i := range 3 {
		stages = append(stages, open(t, browser, fmt.Sprintf("http://%s/stage?name=man-%d", px.Addr(), i+1), 640, 360))
	}
	for _, p := range stages {
		p.wait(stageReady+` && window.phatdongLink && window.phatdongLink.connected`, 10*time.Second, stageMode)
		p.js(faultRecorder)
	}
	title := map[string]string{}
	for _, g := range s.engine.Snapshot().Show.Segments {
		title[g.ID] = g.Title
	}

	tests := []struct {
		name    string
		fault   func()
		hold    time.Duration // how long the fault lasts (half-open: until every page noticed)
		segment string        // where the show goes during the fault
		back    time.Duration // the bound on showing it once the fault ends
	}{
		{"drop", px.Drop, time.Second, "van-nghe", 3 * time.Second},
		{"reset", px.Reset, time.Second, "tuyen-bo-ly-do", 3 * time.Second},
		{"stall 10 s", func() { px.Stall(time.Minute) }, 10 * time.Second, "phat-bieu-chi-dao", 3 * time.Second},
		// A link broken half-open stays broken: the page's own watchdog
		// gives up the try in flight, then the next one goes through.
		{"half-open", px.HalfOpen, 0, "phat-bieu-huong-ung", 8 * time.Second},
	}
	for _, tt := range tests {
		want := title[tt.segment]
		start := time.Now()
		f := start.UnixMilli()
		tt.fault()
		s.command(t, `{"type":"goto","segment":"`+tt.segment+`"}`)
		if tt.name != "stall 10 s" {
			for i, p := range stages {
				lost := waitMs(p, tt.name+": the link's status offline", 6*time.Second, func() int64 { return netAt(p, f, false) })
				t.Logf("%s: stage %d noticed after %v", tt.name, i+1, ms(lost-f))
				if ms(lost-f) > 5*time.Second {
					t.Errorf("%s: stage %d noticed after %v, want within 5 s", tt.name, i+1, ms(lost-f))
				}
			}
		}
		time.Sleep(tt.hold - time.Since(start))
		for i, p := range stages {
			if at := seenAt(p, want); at != 0 {
				t.Fatalf("%s: stage %d showed %q %v into the fault, before it ended", tt.name, i+1, want, ms(at-f))
			}
		}
		h := time.Now().UnixMilli()
		px.Heal()
		for i, p := range stages {
			at := waitMs(p, tt.name+": "+want, tt.back+2*time.Second, func() int64 { return seenAt(p, want) })
			t.Logf("%s: stage %d showed the new segment %v after the fault ended", tt.name, i+1, ms(at-h))
			if ms(at-h) > tt.back {
				t.Errorf("%s: stage %d showed %q %v after the fault ended, want within %v", tt.name, i+1, want, ms(at-h), tt.back)
			}
		}
	}
	for _, p := range stages {
		p.checkConsole("WebSocket connection to 'ws://" + px.Addr() + "/ws' failed")
	}
}
