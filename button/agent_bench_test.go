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
// edge-to-fire part is timed, so ns/op is its mean. It is split into
// edge-to-send (Input's filter and the agent), send-to-commit (the socket,
// the hub's reader, the engine and its fsyncs) and commit-to-screen (the
// hub's broadcast and the screen's socket). "back-to-back" presses
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
	ld := startLeaderWith(b, srv, "nut-1", quick, spy)
	ld.light(b, Off)
	waitFor(b, "the clock sync", func() bool { return ld.logs.has("clock synced") })
	committed := &fireTap{fired: make(chan time.Time, 1)}
	srv.engine.Subscribe(committed)
	lat := make([]time.Duration, 0, b.N)
	toSend := make([]time.Duration, 0, b.N)
	toCommit := make([]time.Duration, 0, b.N)
	toScreen := make([]time.Duration, 0, b.N)
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
		sent, commit := spy.last(), <-committed.fired
		lat = append(lat, f.at.Sub(edge))
		toSend = append(toSend, sent.Sub(edge))
		toCommit = append(toCommit, commit.Sub(sent))
		toScreen = append(toScreen, f.at.Sub(commit))
		ld.pin.Set(gpio.High)
		srv.exec(b, controller.Command{Type: controller.CmdResetLaunch})
		ld.light(b, Off)
		time.Sleep(quick.Lockout + DefaultFilter) // the next press is a new one
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, lat, "edge-to-fire")
	reportPercentiles(b, toSend, "edge-to-send")
	reportPercentiles(b, toCommit, "send-to-commit")
	reportPercentiles(b, toScreen, "commit-to-screen")
	b.ReportMetric(float64(DefaultFilter)/1e6, "filter-ms")
}

// fireTap is an engine subscriber that notes when each fire is committed
// and published: it splits the server's part of the path in two.
type fireTap struct {
	fired chan time.Time
	last  string
}

// Publish is called by the engine with its lock held: it only notes the
// time of a new fire.
func (f *fireTap) Publish(s controller.Snapshot) {
	if id := s.State.Launch.FireID; id != "" && id != f.last {
		f.last = id
		select {
		case f.fired <- time.Now():
		default:
		}
	}
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
// presses, and reports how many were lost, doubled, dropped by the MaxAge
// rule, and resent. Run it with -benchtime 10000x for the 10,000-press
// figure (about a minute: each socket is paced under the server's rate
// limit, so ns/op says nothing about speed).
func BenchmarkChainRealServer(b *testing.B) {
	k := min(15, b.N)
	n := (b.N + k - 1) / k
	srv := startRealServer(b, func(s *controller.Show) {
		s.Launch.RequiredPresses = controller.MaxRequiredPress
		s.Launch.WindowMs = controller.MaxWindowMs
	})
	srv.exec(b, controller.Command{Type: controller.CmdArm})
	b.ResetTimer()
	outs := runChains(b, srv, k, chainOpts{n: n, seed: 11, pace: chainPace, cutEvery: 100})
	b.StopTimer()
	journal := srv.journal(b)
	var sum accounting
	cuts := 0
	for i, out := range outs {
		a := account(n, out, journal[fmt.Sprintf("nut-%d", i+1)])
		sum.physical += a.physical
		sum.events += a.events
		sum.reached += a.reached
		sum.lost += a.lost
		sum.doubled += a.doubled
		sum.dropped += a.dropped
		sum.late += a.late
		sum.resent += a.resent
		cuts += out.cuts
	}
	b.Logf("%d buttons: %s, %d link cuts", k, sum, cuts)
	b.ReportMetric(float64(sum.physical), "physical")
	b.ReportMetric(float64(sum.reached), "reached")
	b.ReportMetric(float64(sum.lost), "lost")
	b.ReportMetric(float64(sum.doubled), "doubled")
	b.ReportMetric(float64(sum.dropped), "dropped")
	b.ReportMetric(float64(sum.late), "late")
	b.ReportMetric(float64(sum.resent), "resent")
	b.ReportMetric(float64(cuts), "cuts")
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
