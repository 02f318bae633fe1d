package button

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
)

// scenario is a scripted timeline of the line and the events it must give
// with the default Config.
type scenario struct {
	name  string
	low   bool // the line is active at start
	steps []step
	end   time.Duration
	want  []want
}

// want is an expected Event, its times as offsets from t0.
type want struct {
	kind     Kind
	at, seen time.Duration
}

func (w want) String() string { return fmt.Sprintf("%s at %s seen %s", w.kind, w.at, w.seen) }

// press is a clean press at at, released after hold.
func press(at, hold time.Duration) []step {
	return []step{{at, gpio.Low}, {at + hold, gpio.High}}
}

// chatter is n edges every `every` from at, alternating from first.
func chatter(at time.Duration, n int, every time.Duration, first gpio.Level) []step {
	var s []step
	for i := range n {
		s = append(s, step{at + time.Duration(i)*every, first == (i%2 == 0)})
	}
	return s
}

// blips are n short excursions to level, each for d, every period from at.
func blips(at time.Duration, n int, period, d time.Duration, level gpio.Level) []step {
	var s []step
	for i := range n {
		t := at + time.Duration(i)*period
		s = append(s, step{t, level}, step{t + d, !level})
	}
	return s
}

func cat(parts ...[]step) []step { return slices.Concat(parts...) }

var scenarios = []scenario{
	{name: "clean press", steps: press(100*ms, 150*ms), end: time.Second,
		want: []want{{Press, 100 * ms, 105 * ms}}},
	{name: "bounce storm of 62 edges in 30 ms is one press",
		steps: cat(chatter(100*ms, 41, ms/2, gpio.Low), chatter(300*ms, 21, ms/2, gpio.High)),
		end:   time.Second, want: []want{{Press, 100 * ms, 125 * ms}}},
	{name: "spike of 3 ms is no press", steps: press(100*ms, 3*ms), end: time.Second},
	{name: "spike just under the filter is no press", steps: press(100*ms, 5*ms-time.Microsecond), end: time.Second},
	{name: "pulse of exactly the filter is a press", steps: press(100*ms, 5*ms), end: time.Second,
		want: []want{{Press, 100 * ms, 105 * ms}}},
	{name: "train of spikes is no press", steps: blips(100*ms, 10, 3*ms, ms, gpio.Low), end: time.Second},
	{name: "spike running into a press dates the press",
		steps: cat(press(100*ms, 2*ms), press(104*ms, 100*ms)), end: time.Second,
		want: []want{{Press, 100 * ms, 109 * ms}}},
	{name: "edge without a change of level restarts the filter",
		steps: []step{{100 * ms, gpio.Low}, {103 * ms, gpio.Low}, {200 * ms, gpio.High}}, end: time.Second,
		want: []want{{Press, 100 * ms, 108 * ms}}},
	{name: "two presses 400 ms apart are two", steps: cat(press(100*ms, 100*ms), press(500*ms, 100*ms)),
		end: time.Second, want: []want{{Press, 100 * ms, 105 * ms}, {Press, 500 * ms, 505 * ms}}},
	{name: "two presses 200 ms apart are one", steps: cat(press(100*ms, 50*ms), press(300*ms, 50*ms)),
		end: time.Second, want: []want{{Press, 100 * ms, 105 * ms}}},
	{name: "press begun in the lockout and held past it is not counted",
		steps: cat(press(100*ms, 50*ms), press(300*ms, 400*ms)), end: time.Second,
		want: []want{{Press, 100 * ms, 105 * ms}}},
	{name: "press right at the end of the lockout counts",
		steps: cat(press(100*ms, 50*ms), press(400*ms, 50*ms)), end: time.Second,
		want: []want{{Press, 100 * ms, 105 * ms}, {Press, 400 * ms, 405 * ms}}},
	{name: "long hold with a chattering contact is one press",
		steps: cat([]step{{100 * ms, gpio.Low}}, blips(200*ms, 10, 100*ms, 2*ms, gpio.High), []step{{1500 * ms, gpio.High}}),
		end:   2 * time.Second, want: []want{{Press, 100 * ms, 105 * ms}}},
	{name: "held past StuckAfter is a press, one fault, then recovery",
		steps: cat(press(100*ms, 6*time.Second), press(7*time.Second, 100*ms)), end: 8 * time.Second,
		want: []want{
			{Press, 100 * ms, 105 * ms}, {Fault, 100 * ms, 5100 * ms},
			{FaultCleared, 6100 * ms, 6105 * ms}, {Press, 7 * time.Second, 7005 * ms},
		}},
	{name: "line stuck from start is one fault and no press", low: true, end: 20 * time.Second,
		want: []want{{Fault, 0, 5 * time.Second}}},
	{name: "chattering stuck line is one fault, then recovers",
		low: true,
		steps: cat(blips(time.Second, 50, 100*ms, 3*ms, gpio.High), chatter(6*time.Second, 9, ms, gpio.High),
			press(7*time.Second, 100*ms)),
		end: 8 * time.Second,
		want: []want{
			{Fault, 0, 5 * time.Second}, {FaultCleared, 6008 * ms, 6013 * ms},
			{Press, 7 * time.Second, 7005 * ms},
		}},
	{name: "button held at start, released, then pressed", low: true,
		steps: cat([]step{{time.Second, gpio.High}}, press(2*time.Second, 100*ms)), end: 3 * time.Second,
		want: []want{{Press, 2 * time.Second, 2005 * ms}}},
}

// check compares events with w.
func check(t *testing.T, got []Event, w []want) {
	t.Helper()
	var gotW []want
	for _, ev := range got {
		gotW = append(gotW, want{ev.Kind, ev.At.Sub(t0), ev.Seen.Sub(t0)})
	}
	if !slices.Equal(gotW, w) {
		t.Errorf("events:\n got  %v\n want %v", gotW, w)
	}
}

func TestInputScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			check(t, replay(t, Config{}, sc.startLevel(), sc.steps, sc.end), sc.want)
		})
	}
}

// startLevel is the level of the line at start.
func (sc scenario) startLevel() gpio.Level { return gpio.Level(!sc.low) }
