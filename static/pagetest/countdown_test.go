package pagetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/static/browsertest"
)

// shortShow is a show whose second segment lasts 6 s, amber at 4 s left,
// red at 2 s.
const shortShow = `{
  "format": "phatdong-show", "version": 1,
  "title": "Buổi thử đồng hồ", "venue": "Phòng thử", "date": "2025-04-14",
  "launch": {"requiredPresses": 1, "windowMs": 5000, "leadMs": 250, "caption": "PHÁT ĐỘNG PHONG TRÀO «BÌNH DÂN HỌC VỤ SỐ»"},
  "segments": [
    {"id": "don-tiep", "title": "Đón tiếp", "kind": "welcome", "durationSec": 60, "warnSec": 10, "dangerSec": 5},
    {"id": "sau-giay", "title": "Phát biểu sáu giây", "kind": "speech", "speaker": "Người thử", "durationSec": 6, "warnSec": 4, "dangerSec": 2},
    {"id": "bam-nut", "title": "Bấm nút phát động", "kind": "launch", "durationSec": 60, "warnSec": 10, "dangerSec": 5},
    {"id": "ket-thuc", "title": "Kết thúc", "kind": "closing", "durationSec": 60, "warnSec": 10, "dangerSec": 5, "onZero": "hold"}
  ]
}`

// clockSample is what a page's clock shows at one instant.
type clockSample struct {
	Text, Level, Color string
	At                 time.Duration
}

// The countdown runs, turns amber at the warning threshold, red at danger,
// and counts "+mm:ss" in overtime, on the stage and the presenter alike.
func TestCountdownTurnsAmberThenRed(t *testing.T) {
	s := startServer(t)
	s.putShow(t, shortShow)
	s.command(t, `{"type":"goto","segment":"sau-giay"}`)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, s.URL+"/stage", 1280, 720)
	presenter := open(t, browser, s.URL+"/presenter", 1280, 720)
	stage.wait(`document.getElementById("s-clock").textContent === "00:06"`, 10*time.Second, `document.getElementById("s-clock").textContent`)
	presenter.wait(`document.getElementById("p-clock").textContent === "00:06"`, 10*time.Second, `document.getElementById("p-clock").textContent`)

	start := time.Now()
	s.command(t, `{"type":"start"}`)
	read := func(p *page, id string) clockSample {
		var c clockSample
		raw := eval[string](p, `(() => { const e = document.getElementById(`+quote(id)+`);
			const lv = [...e.classList].find(c => c.startsWith("lv-")) || "";
			return JSON.stringify({Text: e.textContent, Level: lv.slice(3), Color: getComputedStyle(e).color}); })()`)
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			t.Fatal(err)
		}
		c.At = time.Since(start)
		return c
	}
	var stageSeen, presenterSeen []clockSample
	for time.Since(start) < 7500*time.Millisecond {
		for _, x := range []struct {
			p    *page
			id   string
			seen *[]clockSample
		}{{stage, "s-clock", &stageSeen}, {presenter, "p-clock", &presenterSeen}} {
			c := read(x.p, x.id)
			if n := len(*x.seen); n == 0 || (*x.seen)[n-1].Level != c.Level {
				*x.seen = append(*x.seen, c)
			}
		}
		time.Sleep(40 * time.Millisecond)
	}
	colors := map[string]string{"ok": "rgb(255, 255, 255)", "warn": "rgb(255, 179, 0)", "danger": "rgb(255, 59, 48)", "over": "rgb(255, 59, 48)"}
	for name, seen := range map[string][]clockSample{"stage": stageSeen, "presenter": presenterSeen} {
		var levels []string
		for _, c := range seen {
			levels = append(levels, c.Level)
		}
		t.Logf("%s: %s", name, describe(seen))
		if got := strings.Join(levels, " "); got != "ok warn danger over" {
			t.Errorf("%s: levels %q, want ok warn danger over", name, got)
			continue
		}
		// Each change within ~0.5 s of its threshold (the poll is 40 ms, the
		// page is in another process on a loaded machine).
		for i, want := range []time.Duration{0, 2 * time.Second, 4 * time.Second, 6 * time.Second} {
			if d := seen[i].At - want; i > 0 && (d < -300*time.Millisecond || d > 600*time.Millisecond) {
				t.Errorf("%s: %s at %v, want about %v", name, seen[i].Level, seen[i].At, want)
			}
			if seen[i].Color != colors[seen[i].Level] {
				t.Errorf("%s: %s is drawn in %s, want %s", name, seen[i].Level, seen[i].Color, colors[seen[i].Level])
			}
		}
		if over := seen[3].Text; !strings.HasPrefix(over, "+00:0") {
			t.Errorf("%s: overtime reads %q, want +00:0x", name, over)
		}
	}
	if got := stage.text("s-clock"); got < "+00:01" || got > "+00:03" {
		t.Errorf("stage 1.5 s into overtime reads %q, want about +00:01", got)
	}
	stage.checkConsole()
	presenter.checkConsole()
}

func describe(seen []clockSample) string {
	var b strings.Builder
	for _, c := range seen {
		fmt.Fprintf(&b, "%s %q at %v; ", c.Level, c.Text, c.At.Round(10*time.Millisecond))
	}
	return b.String()
}
