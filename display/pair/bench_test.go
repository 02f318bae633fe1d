package pair_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// BenchmarkCommand measures what a command costs from Execute to its
// answer on a primary alone and on a primary whose standby (another node,
// over a loopback leaf link) must hold it first: p50 and p99 per command.
func BenchmarkCommand(b *testing.B) {
	for _, withStandby := range []bool{false, true} {
		name := "alone"
		if withStandby {
			name = "standby"
		}
		b.Run(name, func(b *testing.B) {
			p := startPrimary(b, b.TempDir())
			defer p.close()
			if withStandby {
				s := startStandby(b, b.TempDir(), p)
				defer s.close()
				waitInSync(b, p)
			}
			run(b, p, controller.Command{Type: controller.CmdStart})
			lat := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				i++
				at := time.Now()
				if _, err := p.engine.Execute(controller.Command{Type: controller.CmdAddTime, Seconds: 1 + i%5}, operator); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(at))
			}
			if withStandby && !p.pair.InSync() {
				b.Log("the standby fell out of sync during the run")
			}
			report(b, lat)
		})
	}
}

// BenchmarkPressToFire measures a press that fires the launch, from
// Execute to its answer, with a standby in sync: arming and resetting
// between presses is not counted.
func BenchmarkPressToFire(b *testing.B) {
	p := startPrimary(b, b.TempDir())
	defer p.close()
	s := startStandby(b, b.TempDir(), p)
	defer s.close()
	waitInSync(b, p)
	on := true
	run(b, p, controller.Command{Type: controller.CmdRehearsal, On: &on})
	button := controller.Actor{Role: "button", Name: "Nút 1"}
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		run(b, p, controller.Command{Type: controller.CmdArm})
		b.StartTimer()
		at := time.Now()
		res, err := p.engine.Execute(controller.Command{Type: controller.CmdPress, Button: "nut-1", PressID: "p-" + strconv.Itoa(i)}, button)
		lat = append(lat, time.Since(at))
		if err != nil || res.Answer.Outcome != controller.OutcomeFired {
			b.Fatalf("press: %+v %v", res.Answer, err)
		}
		b.StopTimer()
		run(b, p, controller.Command{Type: controller.CmdResetLaunch})
		b.StartTimer()
	}
	report(b, lat)
}

// report adds the p50 and p99 of lat, in ms.
func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkCatchUp measures how long a standby that missed 1,000
// commands takes, once back (its node started), until the primary waits
// for it again and its engine has applied every one, each committed to its
// database: the primary sends them from its journal.
func BenchmarkCatchUp(b *testing.B) {
	const missed = 1000
	for b.Loop() {
		b.StopTimer()
		p := startPrimary(b, b.TempDir())
		dir := b.TempDir()
		s := startStandby(b, dir, p)
		waitInSync(b, p)
		s.close()
		run(b, p, controller.Command{Type: controller.CmdStart})
		for i := range missed {
			run(b, p, controller.Command{Type: controller.CmdAddTime, Seconds: 1 + i%5})
		}
		b.StartTimer()
		at := time.Now()
		s = startStandby(b, dir, p)
		waitInSync(b, p)
		head := p.engine.Snapshot().State.Seq
		eventually(b, time.Minute, "the standby's engine at the head", func() bool { return s.engine.Snapshot().State.Seq == head })
		b.ReportMetric(time.Since(at).Seconds(), "s/catch-up")
		b.StopTimer()
		s.close()
		p.close()
		b.StartTimer()
	}
}
