package clocksync_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

// A display whose clock is 2 s behind the server's, on a network with 3 ms
// each way, except one exchange that stalled on its way back.
func Example() {
	e := clocksync.NewEstimator(clocksync.DefaultWindow)
	for i, stall := range []float64{0, 0, 180, 0, 0} {
		t0 := 1_760_000_000_000 + float64(i)*40 // display clock, Unix ms
		t1 := t0 + 3 + 2000                     // server clock
		t2 := t1 + 0.5                          // the server held it 0.5 ms
		t3 := t0 + 3 + 0.5 + 3 + stall          // display clock
		if err := e.Add(clocksync.Sample{T0: t0, T1: t1, T2: t2, T3: t3}); err != nil {
			fmt.Println(err)
		}
		fmt.Printf("count %d, next request in %v\n", e.Count(), clocksync.Schedule(e.Count()))
	}
	fmt.Printf("ready %v: offset %.1f ms ± %.1f ms, best RTT %.1f ms\n", e.Ready(), e.Offset(), e.Uncertainty(), e.RTT())
	fmt.Printf("display time 1760000060000.0 = server time %.1f\n", e.ServerTime(1_760_000_060_000))
	// Output:
	// count 1, next request in 40ms
	// count 2, next request in 40ms
	// count 3, next request in 40ms
	// count 4, next request in 40ms
	// count 5, next request in 40ms
	// ready true: offset 2000.0 ms ± 3.0 ms, best RTT 6.0 ms
	// display time 1760000060000.0 = server time 1760000062000.0
}

// The server's side of an exchange: echo t0, and add when the request
// arrived and when the answer leaves.
func ExampleAnswer() {
	var req protocol.TimeMsg
	if err := json.Unmarshal([]byte(`{"type":"time","t0":1760000000000.25}`), &req); err != nil {
		panic(err)
	}
	received := time.UnixMilli(1_760_000_002_003)
	answer, err := json.Marshal(clocksync.Answer(req.T0, received, received.Add(500*time.Microsecond)))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(answer))
	// Output:
	// {"type":"time","t0":1760000000000.25,"t1":1760000002003,"t2":1760000002003.5}
}
