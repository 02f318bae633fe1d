package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static/browsertest"
	"github.com/phatdong/phatdong/static/browsertest/delayproxy"
)

// startHalls runs a province process and one hall process per entry of
// halls, each hall's leaf link through a proxy of its delay (with 2-10 ms
// of jitter), each hall with screens Go stage screens, and waits until
// the province lists every hall linked with its clock synchronised and
// every screen has synchronised its own.
func startHalls(t testing.TB, screens int, halls ...*hallOnProxy) *proc {
	t.Helper()
	dir := t.TempDir()
	province := launch(t, filepath.Join(dir, "province.db"))
	leaf := leafOf(t, province)
	for i, h := range halls {
		_, key := province.createVenue(t, h.name, h.delayMs)
		h.link = delayproxy.New(t, leaf, h.oneWay, time.Duration(2*(i%5)+2)*time.Millisecond)
		h.proc = launchHall(t, filepath.Join(dir, fmt.Sprintf("hall-%d.db", i)), h.link.Addr(), key, h.name)
		for j := range screens {
			h.screens = append(h.screens, dialScreen(t, h.proc, fmt.Sprintf("Màn hình %d", j+1)))
		}
	}
	waitFor(t, 30*time.Second, "every hall linked and synchronised", func() bool {
		vs := province.venues(t)
		for _, v := range vs {
			if !v.Linked || !v.Synced {
				return false
			}
		}
		return len(vs) == len(halls)
	})
	for _, h := range halls {
		for _, s := range h.screens {
			waitFor(t, 15*time.Second, s.name+" synchronised", s.est.Ready)
		}
	}
	return province
}

// Three halls over links of 20, 120 and 300 ms each way, each with its
// own video delay: every screen in every hall starts the moment within
// one frame of the province's fireAt plus its hall's delay, in time,
// three times over; and a hall's /stage page in Chromium plays it at its
// instant.
func TestDistrictHallsFireTogether(t *testing.T) {
	halls := []*hallOnProxy{
		{name: "Huyện Bù Đăng", delayMs: 0, oneWay: 20 * time.Millisecond},
		{name: "Huyện Lộc Ninh", delayMs: 1000, oneWay: 120 * time.Millisecond},
		{name: "Thị xã Phước Long", delayMs: 2000, oneWay: 300 * time.Millisecond},
	}
	province := startHalls(t, 3, halls...)
	stage := browsertest.NewTab(t, browsertest.NewBrowser(t))
	if err := chromedp.Do(stage, chromedp.Navigate(halls[1].proc.base+"/stage?name=S%C3%A2n+kh%E1%BA%A5u")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "the hall's stage page synchronised", func() bool {
		synced, err := chromedp.Run(stage, chromedp.Evaluate[bool](`!!(window.phatdongLink && phatdongLink.synced)`))
		return err == nil && synced
	})

	for _, v := range province.venues(t) {
		t.Logf("%s: round trip %.1f ms, the hall's clock %+.2f ± %.2f ms off the province's", v.Name, v.RTTMs, v.OffsetMs, v.ErrorMs)
	}
	province.must(t, "/api/v1/commands", testToken, `{"type":"rehearsal","on":true}`)
	var pageStarts []float64
	for round := range 3 {
		if round > 0 {
			province.must(t, "/api/v1/commands", testToken, `{"type":"reset-launch"}`)
		}
		province.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
		l := province.must(t, "/api/v1/commands", testToken, `{"type":"fire"}`).State.Launch
		time.Sleep(time.Until(time.UnixMilli(l.FireAt + 2000 + 500)))
		for _, h := range halls {
			h.checkStarts(t, l.FireID, l.FireAt)
		}
		// The stage page's report reaches its hall, and the hall's to the
		// province: it started at its hall's instant.
		var fire *protocol.FireSummary
		waitFor(t, 10*time.Second, "the hall's stage page's report at the province", func() bool {
			for _, v := range province.venues(t) {
				if v.Name == halls[1].name && v.Fire != nil && v.Fire.FireID == l.FireID && v.Fire.Reports == 1 {
					fire = v.Fire
					return true
				}
			}
			return false
		})
		t.Logf("%s: the stage page in Chromium started %+.2f ms from the hall's instant", l.FireID, fire.EarliestMs)
		if fire.FireAt != l.FireAt+int64(halls[1].delayMs) || fire.Late != 0 {
			t.Errorf("%s: the hall's stage page: %+v, want it at fireAt + %d ms", l.FireID, fire, halls[1].delayMs)
		}
		pageStarts = append(pageStarts, fire.EarliestMs)
	}
	// A page starts on its first frame at or after the instant: up to one
	// frame late by design, plus its clock's error; so two frames in the
	// median of the fires. When its timer then runs is the renderer's
	// scheduling: with four server processes and the browser on two cores
	// one fire in three has started 35.7 ms late, so the worst is held to
	// six frames (100 ms), still far from the hall's delay (1 s) or a path
	// (120 ms each way) left uncorrected.
	slices.Sort(pageStarts)
	if m := pageStarts[len(pageStarts)/2]; m < -oneFrame || m > 2*oneFrame {
		t.Errorf("the hall's stage page started a median %+.2f ms from its instant, want within its first frame (-1 to +2 frames)", m)
	}
	if lo, hi := pageStarts[0], pageStarts[len(pageStarts)-1]; lo < -oneFrame || hi > 6*oneFrame {
		t.Errorf("the hall's stage page started %+.2f to %+.2f ms from its instant, want -1 to +6 frames in every fire", lo, hi)
	}
	for _, h := range halls {
		for _, s := range h.screens {
			if n := s.firedCount(); n != 3 {
				t.Errorf("%s: %s saw %d fires, want 3", h, s.name, n)
			}
		}
	}

	// A hall's key opens nothing on the province's HTTP edge.
	_, key := province.createVenue(t, "Huyện Hớn Quản", 0)
	if code, body := province.call("POST", "/api/v1/commands", key, `{"type":"next"}`); code != 401 {
		t.Errorf("a hall's key commands the province: %d %s", code, body)
	}
}

// A hall cut off mid-countdown keeps showing its last state, follows again
// within 3 s of the link's return, and after a fire it missed shows the
// fire it missed once, late, never twice; the province shows the link
// down meanwhile, and the hall's operators see it too.
func TestAHallCutOffFollowsAgain(t *testing.T) {
	h := &hallOnProxy{name: "Huyện Bù Gia Mập", delayMs: 1000, oneWay: 50 * time.Millisecond}
	province := startHalls(t, 2, h)
	province.must(t, "/api/v1/commands", testToken, `{"type":"next"}`)
	province.must(t, "/api/v1/commands", testToken, `{"type":"start"}`)
	caughtUp := func() bool {
		want := province.state(t).State
		got := h.proc.state(t).State
		return got.Current.ID == want.Current.ID && got.Timer.Phase == want.Timer.Phase && got.Launch.FireID == want.Launch.FireID
	}
	waitFor(t, 5*time.Second, "the hall on the province's running segment", caughtUp)

	for round := range 2 { // mid-countdown, twice
		h.link.SetCut(true)
		waitFor(t, 10*time.Second, "the hall's operators told the link is down", func() bool { return !h.proc.hallOf(t).Linked })
		waitFor(t, 10*time.Second, "the province shows the hall down", func() bool { return !province.venues(t)[0].Linked })
		before := h.proc.state(t).State
		province.must(t, "/api/v1/commands", testToken, `{"type":"next"}`) // the next segment's clock runs on
		time.Sleep(500 * time.Millisecond)
		if got := h.proc.state(t).State; got.Current.ID != before.Current.ID {
			t.Fatalf("round %d: the hall moved while cut off", round)
		}
		h.link.SetCut(false)
		back := time.Now()
		waitFor(t, 10*time.Second, "the hall following again", caughtUp)
		t.Logf("round %d: the hall followed again %v after the link came back", round, time.Since(back).Round(time.Millisecond))
		if d := time.Since(back); d > 3*time.Second {
			t.Errorf("round %d: the hall followed again %v after the link came back, want within 3 s", round, d)
		}
	}

	// Across a fire: the hall misses the whole moment, then shows it once.
	h.link.SetCut(true)
	waitFor(t, 10*time.Second, "the hall's link down", func() bool { return !h.proc.hallOf(t).Linked })
	province.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	l := province.must(t, "/api/v1/commands", testToken, `{"type":"fire"}`).State.Launch
	time.Sleep(time.Until(time.UnixMilli(l.FireAt + int64(h.delayMs) + 2000)))
	h.link.SetCut(false)
	waitFor(t, 10*time.Second, "the hall shows the fire it missed", caughtUp)
	for _, s := range h.screens {
		waitFor(t, 5*time.Second, s.name+" shows the fire", func() bool { _, ok := s.start(l.FireID); return ok })
		st, _ := s.start(l.FireID)
		if st.fireAt != l.FireAt+int64(h.delayMs) || st.lateMs < 2000 {
			t.Errorf("%s: the missed fire at %d came %.0f ms late; want the hall's instant %d and it late", s.name, st.fireAt, st.lateMs, l.FireAt+int64(h.delayMs))
		}
	}
	// Cut and restored again: still one fire.
	h.link.SetCut(true)
	time.Sleep(time.Second)
	h.link.SetCut(false)
	waitFor(t, 10*time.Second, "the hall linked again", func() bool { return h.proc.hallOf(t).Linked })
	time.Sleep(time.Second)
	for _, s := range h.screens {
		if n := s.firedCount(); n != 1 {
			t.Errorf("%s saw the launch fire %d times, want once", s.name, n)
		}
	}
}
