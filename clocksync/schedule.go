package clocksync

import "time"

// The sampling schedule. A display needs a good estimate fast, when it
// connects, and then only has to follow the slow drift of the two clocks.
const (
	// BurstSamples is how many samples are taken quickly after connecting
	// (or after a clock step restarts the estimate): 8 exchanges give
	// MinSamples with room for a few lost or slow ones.
	BurstSamples = 8

	// BurstInterval is the pause between two burst samples. It is long
	// enough not to queue behind the previous exchange on a LAN and short
	// enough that the burst ends in well under half a second.
	BurstInterval = 40 * time.Millisecond

	// SteadyInterval is the pause between two samples after the burst.
	// A full window of DefaultWindow samples then covers 48 s, during which
	// clocks that drift 50 ppm apart move by 2.4 ms.
	SteadyInterval = 3 * time.Second
)

// Schedule is how long a display waits before its next time request, given
// count, the estimator's Count. The first request goes at once, the next
// ones come in a burst, then one every SteadyInterval. Because Count falls
// back to a few samples when a clock step restarts the estimate, a step
// triggers a new burst by itself. A lost request does not change count: the
// display gives up waiting for it and asks Schedule again.
func Schedule(count int) time.Duration {
	switch {
	case count <= 0:
		return 0
	case count < BurstSamples:
		return BurstInterval
	default:
		return SteadyInterval
	}
}
