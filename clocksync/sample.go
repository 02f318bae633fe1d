package clocksync

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// ErrInvalidSample is wrapped by every error about a sample that cannot come
// from a real exchange. Test for it with errors.Is.
var ErrInvalidSample = errors.New("clocksync: invalid sample")

// Sample is one request/answer exchange, with the four timestamps of NTP in
// Unix milliseconds: T0 when the display sent the request (display clock), T1
// when the server received it and T2 when the server answered (server clock),
// and T3 when the display received the answer (display clock).
type Sample struct {
	T0, T1, T2, T3 float64
}

// Offset is what this sample says the server clock is ahead of the display
// clock, in ms: server = display + Offset. Its error is at most RTT/2, and it
// is zero when the two one-way delays are equal.
func (s Sample) Offset() float64 {
	return ((s.T1 - s.T0) + (s.T2 - s.T3)) / 2
}

// RTT is the time the exchange spent on the network, in ms: the round trip
// seen by the display minus the time the server held the request.
func (s Sample) RTT() float64 {
	return (s.T3 - s.T0) - (s.T2 - s.T1)
}

// Validate returns an error wrapping ErrInvalidSample when the timestamps
// cannot come from a real exchange: one is NaN or infinite, the answer came
// back before the request left (T3 < T0), the server answered before it
// received (T2 < T1), or the round trip is negative.
func (s Sample) Validate() error {
	for _, v := range [...]float64{s.T0, s.T1, s.T2, s.T3} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: timestamp %v is not a finite number", ErrInvalidSample, v)
		}
	}
	switch {
	case s.T3 < s.T0:
		return fmt.Errorf("%w: received before sent (t3 %.3f < t0 %.3f)", ErrInvalidSample, s.T3, s.T0)
	case s.T2 < s.T1:
		return fmt.Errorf("%w: server answered before it received (t2 %.3f < t1 %.3f)", ErrInvalidSample, s.T2, s.T1)
	case s.RTT() < 0:
		return fmt.Errorf("%w: negative round trip %.3f ms", ErrInvalidSample, s.RTT())
	}
	return nil
}

// Stamp converts t to a protocol timestamp: Unix milliseconds as a float,
// with sub-millisecond precision (about 0.25 µs for current dates).
func Stamp(t time.Time) float64 {
	return float64(t.UnixMilli()) + float64(t.Nanosecond()%1e6)/1e6
}

// Answer is the server's answer to a time request whose t0 is t0:
// received is when the request arrived, sent when the answer is about to
// be written. Take sent as late as possible.
func Answer(t0 float64, received, sent time.Time) protocol.TimeMsg {
	return protocol.TimeMsg{Type: protocol.TypeTime, T0: t0, T1: Stamp(received), T2: Stamp(sent)}
}

// SampleOf is the sample that the answer m makes when the display received
// it at t3 (display clock, Unix ms).
func SampleOf(m protocol.TimeMsg, t3 float64) Sample {
	return Sample{T0: m.T0, T1: m.T1, T2: m.T2, T3: t3}
}
