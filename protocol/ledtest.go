package protocol

// TypeLEDTest is a server → button agents message (issue #17): flash the
// LED so someone at the lectern sees the button is linked. It never fires
// anything, and the server sends it only in rehearsal mode (POST
// /api/v1/doctor/press).
const TypeLEDTest = "ledtest"

// The LED test's pattern.
const (
	LEDTestHz         = 8    // flashes a second
	LEDTestDurationMs = 2000 // how long it flashes
)

// LEDTestMsg asks the button agents to flash their LED:
//
//	{"type":"ledtest","hz":8,"durationMs":2000}
type LEDTestMsg struct {
	Type       string `json:"type"`
	Hz         int    `json:"hz"`
	DurationMs int    `json:"durationMs"`
}
