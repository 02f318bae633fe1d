package main

import "runtime/debug"

// defaultGCPercent is the server's garbage collection target unless GOGC
// says otherwise.
//
// A reconnect storm (5,000 screens at once, as after a Wi-Fi drop) makes
// more garbage per socket, mostly the HTTP upgrade's buffers, than the
// socket keeps (about 3 KiB of heap and 4 KiB of stack). At Go's default of
// 100 the heap grows to twice the live data before it is collected, and the
// process keeps that memory: measured at 5,000 screens, 18-21 KiB of RSS per
// idle screen at 100, 10-12 KiB at 50. Between storms the server allocates
// little (one frame per state change), so collecting more often costs
// next to nothing.
const defaultGCPercent = 50

// gcPercent is the collection target to set for the value of GOGC, or 0 to
// leave the runtime's own reading of it.
func gcPercent(gogc string) int {
	if gogc != "" {
		return 0
	}
	return defaultGCPercent
}

// tuneGC applies gcPercent.
func tuneGC(getenv func(string) string) {
	if p := gcPercent(getenv("GOGC")); p > 0 {
		debug.SetGCPercent(p)
	}
}
