package protocol

// TypeIdentify is the type of IdentifyMsg.
const TypeIdentify = "identify"

// IdentifyDurationMs is how long a screen shows its name when asked.
const IdentifyDurationMs = 3000

// IdentifyMsg asks one screen to show its name in large type for
// DurationMs, so the crew knows which projector is which (server → one
// stage, presenter or MC page; POST /api/v1/identify):
//
//	{"type":"identify","name":"Màn LED chính","durationMs":3000}
type IdentifyMsg struct {
	Type       string `json:"type"`
	Name       string `json:"name"`
	DurationMs int    `json:"durationMs"`
}
