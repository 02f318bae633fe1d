package button

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"

	"github.com/phatdong/phatdong/controller"
)

// BenchmarkPressToFire measures, through the real server on loopback, the
// time from the falling edge on the input pin to the fire message arriving
// at a screen: SimPin → Input (5 ms glitch filter) → Agent → websocket →
// hub → engine (bbolt commit with fsync) → hub → websocket → stage client.
// Each iteration arms the launch (rehearsal mode), waits for the agent to
// show it, presses, waits for the fire at the screen, then resets; only the
// edge-to-fire part is timed, so ns/op is its mean. "back-to-back" presses
// as soon as the agent shows the armed state; "gap-500ms" waits half a
// second first, as a leader would, which on these VMs costs the first
// message after an idle gap more.
func BenchmarkPressToFire(b *testing.B) {
	for _, gap := range []time.Duration{0, 500 * time.Millisecond} {
		name := "back-to-back"
		if gap > 0 {
			name = "gap-" + gap.String()
		}
		b.Run(name, func(b *testing.B) { benchPressToFire(b, gap) })
	}
}

func benchPressToFire(b *testing.B, gap time.Duration) {
	srv := startRealServer(b, nil)
	on := true
	srv.exec(b, controller.Command{Type: controller.CmdRehearsal, On: &on})
	scr := dialScreen(b, srv.url)
	spy := &spyDialer{marker: `"type":"press"`}
	ld := startLeaderWith(b, srv.url, "nut-1", quick, spy)
	ld.light(b, Off)
	waitFor(b, "the clock sync", func() bool { return ld.logs.has("clock synced") })
	lat := make([]time.Duration, 0, b.N)
	toSend := make([]time.Duration, 0, b.N)
	toFire := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		srv.exec(b, controller.Command{Type: controller.CmdArm})
		ld.light(b, SlowBlink)
		time.Sleep(gap)
		b.StartTimer()
		edge := time.Now()
		ld.pin.Set(gpio.Low)
		f := scr.nextFire(b)
		b.StopTimer()
		sent := spy.last()
		lat = append(lat, f.at.Sub(edge))
		toSend = append(toSend, sent.Sub(edge))
		toFire = append(toFire, f.at.Sub(sent))
		ld.pin.Set(gpio.High)
		srv.exec(b, controller.Command{Type: controller.CmdResetLaunch})
		ld.light(b, Off)
		time.Sleep(quick.Lockout + DefaultFilter) // the next press is a new one
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, lat, "edge-to-fire")
	reportPercentiles(b, toSend, "edge-to-send")
	reportPercentiles(b, toFire, "send-to-fire")
	b.ReportMetric(float64(DefaultFilter)/1e6, "filter-ms")
}

// reportPercentiles reports the p50, p99 and max of ds in ms.
func reportPercentiles(b *testing.B, ds []time.Duration, name string) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := min(len(ds)-1, max(0, int(q*float64(len(ds))+0.999999)-1))
		return float64(ds[i]) / 1e6
	}
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
	b.ReportMetric(float64(ds[len(ds)-1])/1e6, name+"-max-ms")
}

// BenchmarkChainRealServer runs b.N physical presses with random bounce
// through the whole chain to the real server (see the chain tests for the
// design), spread over up to 15 buttons whose links are cut every 100
// presses, and reports how many were lost, doubled, dropped as too old,
// and resent. Run it with -benchtime 10000x for the 10,000-press figure
// (about a minute: each socket is paced under the server's rate limit, so
// ns/op says nothing about speed).
func BenchmarkChainRealServer(b *testing.B) {
	k := min(15, b.N)
	n := (b.N + k - 1) / k
	srv := startRealServer(b, func(s *controller.Show) {
		s.Launch.RequiredPresses = controller.MaxRequiredPress
		s.Launch.WindowMs = controller.MaxWindowMs
	})
	srv.exec(b, controller.Command{Type: controller.CmdArm})
	b.ResetTimer()
	outs := runChains(b, srv.url, k, chainOpts{n: n, seed: 11, pace: chainPace, cutEvery: 100})
	b.StopTimer()
	ids, entries := srv.journaledPresses(b)
	var lost, doubled, dropped, resent, cuts, events int
	for i, out := range outs {
		got := len(ids[fmt.Sprintf("nut-%d", i+1)])
		lost += max(n-got, 0)
		doubled += max(got-n, 0)
		c := countResults(out.results)
		dropped += c.dropped
		resent += c.resent
		cuts += out.cuts
		events += out.events
	}
	b.ReportMetric(float64(n*k), "physical")
	b.ReportMetric(float64(events), "events")
	b.ReportMetric(float64(lost), "lost")
	b.ReportMetric(float64(doubled), "doubled")
	b.ReportMetric(float64(dropped), "dropped")
	b.ReportMetric(float64(resent), "resent")
	b.ReportMetric(float64(cuts), "cuts")
	b.ReportMetric(float64(entries), "journaled")
}

// spyDialer makes real websocket links and notes when the last message
// containing marker was written.
type spyDialer struct {
	marker string
	mu     sync.Mutex
	at     time.Time
}

func (d *spyDialer) Dial(ctx context.Context, url string) (Link, error) {
	l, err := WebsocketDialer{}.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	return &spyLink{Link: l, d: d}, nil
}

func (d *spyDialer) last() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.at
}

type spyLink struct {
	Link
	d *spyDialer
}

func (l *spyLink) Write(msg []byte) error {
	err := l.Link.Write(msg)
	if strings.Contains(string(msg), l.d.marker) {
		now := time.Now()
		l.d.mu.Lock()
		l.d.at = now
		l.d.mu.Unlock()
	}
	return err
}
