package button

import (
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// benchPresses measures the cost through Input of one press on the
// scripted pin: from the falling edge, through the glitch filter's wait,
// to the Press event received by another goroutine, plus the release.
// Fake time does not pass for real: ns/op is the real processing time.
func benchPresses(b *testing.B, bounces int) {
	var steps []step
	t := 100 * ms
	for range b.N {
		steps = append(steps, chatter(t, 2*bounces+1, 100*time.Microsecond, gpio.Low)...)
		steps = append(steps, step{t + 100*ms, gpio.High})
		t += 400 * ms
	}
	b.ReportAllocs()
	b.ResetTimer()
	got := replay(b, Config{}, gpio.High, steps, t)
	b.StopTimer()
	if len(got) != b.N {
		b.Fatalf("%d events for %d presses", len(got), b.N)
	}
	b.ReportMetric(float64(len(steps))/float64(b.N), "edges/op")
}

func BenchmarkInputPressClean(b *testing.B)    { benchPresses(b, 0) }
func BenchmarkInputPressBouncing(b *testing.B) { benchPresses(b, 10) }
