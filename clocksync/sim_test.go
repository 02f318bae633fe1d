package clocksync

import (
	"math"
	"math/rand/v2"
	"time"
)

// scenario describes a simulated network between one display and the
// server. The display's clock is the reference; the server's clock reads
// display time + offset (+ step after the step, + drift over time).
type scenario struct {
	name    string
	seed    uint64
	sends   int     // time requests sent, lost ones included
	offset  float64 // true offset at the start, ms
	stepAt  int     // the server clock steps before this send; 0 never
	stepBy  float64 // size of the step, ms
	drift   float64 // server clock rate error, ppm
	base    float64 // one-way delay, same both ways, ms
	upExtra float64 // constant extra delay towards the server, ms
	jitter  float64 // mean of an exponential extra delay, each way, ms
	spikeP  float64 // probability that one direction of an exchange stalls
	spike   float64 // longest stall, ms
	lossP   float64 // probability that an exchange is lost
	hold    float64 // longest time the server holds a request, ms
	quantum float64 // display timestamps are floored to this many ms; 0 none
	bound   float64 // |estimate - truth| must end within this, ms
}

// exchange is one simulated sample and the true offset when it was taken.
type exchange struct {
	s     Sample
	truth float64
}

// start is a realistic Unix time in ms, so that the float arithmetic of the
// tests is the arithmetic of production.
const start = 1.76e12 + 0.123456

// simulate runs sc and returns its exchanges, lost ones left out. The
// display sends the next request Schedule(count) after an answer, or 1 s
// after a lost request, where count is the number of exchanges so far.
func simulate(sc scenario) []exchange {
	r := rand.New(rand.NewPCG(sc.seed, 0x9e3779b97f4a7c15))
	delay := func(extra float64) float64 {
		d := sc.base + extra
		if sc.jitter > 0 {
			d += r.ExpFloat64() * sc.jitter
		}
		return d
	}
	floor := func(t float64) float64 {
		if sc.quantum == 0 {
			return t
		}
		return math.Floor(t/sc.quantum) * sc.quantum
	}
	var out []exchange
	now := start
	for i := range sc.sends {
		offset := sc.offset + sc.drift*1e-6*(now-start)
		if sc.stepAt > 0 && i >= sc.stepAt {
			offset += sc.stepBy
		}
		up, down := delay(sc.upExtra), delay(0)
		if r.Float64() < sc.spikeP {
			stall := r.Float64() * sc.spike
			if r.IntN(2) == 0 {
				up += stall
			} else {
				down += stall
			}
		}
		hold := r.Float64() * sc.hold
		t0 := now
		t1 := t0 + up + offset
		t2 := t1 + hold
		t3 := t0 + up + hold + down
		if r.Float64() < sc.lossP {
			now += float64(time.Second / time.Millisecond)
			continue
		}
		out = append(out, exchange{Sample{floor(t0), t1, t2, floor(t3)}, offset})
		now = t3 + float64(Schedule(len(out))/time.Microsecond)/1000
	}
	return out
}

// scenarios cover symmetric delays from 0 to 150 ms, jitter, asymmetric
// stalls, losses, offsets from -10 s to +10 s, drift and clock steps.
var scenarios = []scenario{
	{name: "ideal network", seed: 1, sends: 20, offset: -10000, bound: 1e-6},
	{name: "quiet LAN", seed: 2, sends: 30, offset: 123.456, base: 0.3, jitter: 0.2, hold: 0.1, bound: 0.2},
	{name: "Wi-Fi jitter", seed: 3, sends: 30, offset: 10000, base: 3, jitter: 4, hold: 0.5, bound: 3},
	{name: "slow symmetric 150 ms", seed: 4, sends: 30, offset: -7345.6, base: 150, jitter: 1, hold: 1, bound: 1},
	{name: "heavy jitter", seed: 5, sends: 40, offset: 4999.9, base: 40, jitter: 30, hold: 2, bound: 20},
	{name: "asymmetric stalls", seed: 6, sends: 40, offset: -3.25, base: 5, jitter: 1, spikeP: 0.3, spike: 400, hold: 1, bound: 1.5},
	{name: "losses and outliers", seed: 7, sends: 50, offset: 987.654, base: 10, jitter: 2, spikeP: 0.25, spike: 1000, lossP: 0.2, hold: 1, bound: 2},
	{name: "coarse browser timestamps", seed: 8, sends: 30, offset: -1234.5678, base: 1, jitter: 0.5, hold: 0.2, quantum: 0.1, bound: 0.5},
	{name: "lopsided route", seed: 9, sends: 30, offset: 250, base: 5, upExtra: 15, jitter: 0.3, bound: 8},
	{name: "drift 50 ppm", seed: 10, sends: 60, offset: -9999, drift: 50, base: 2, jitter: 1, hold: 0.5, bound: 3},
	{name: "step +2.5 s", seed: 11, sends: 50, offset: 4321, stepAt: 20, stepBy: 2500, base: 2, jitter: 1, hold: 0.5, bound: 1},
	{name: "step -8 s", seed: 12, sends: 50, offset: 1000, stepAt: 25, stepBy: -8000, base: 20, jitter: 3, spikeP: 0.1, spike: 300, bound: 3},
	{name: "step +20 ms", seed: 13, sends: 50, offset: -500, stepAt: 20, stepBy: 20, base: 1, jitter: 0.5, hold: 0.2, bound: 0.5},
}
