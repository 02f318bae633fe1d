package protocol

// ReportMsg is a client's report (protocol §6): its clock figures (offset,
// RTT and uncertainty in ms, the three together), the instant it started a
// fire's moment (fireId and startedAt together), or a stage screen's frame
// figures after a moment (fps, medianMs, maxGapMs and quality together).
// Absent figures are left out:
//
//	{"type":"report","offset":-10003.2,"rtt":4.1,"uncertainty":2.3}
//	{"type":"report","offset":-10003.2,"rtt":4.1,"uncertainty":2.3,"fireId":"f57","startedAt":1744600123457.3}
//	{"type":"report","fps":58.6,"medianMs":16.7,"maxGapMs":33.4,"quality":3}
//	{"type":"report","media":{"hash":"9f86d0…","state":"loading","progress":0.64}}
type ReportMsg struct {
	Type        string   `json:"type"`
	Offset      *float64 `json:"offset,omitempty"`
	RTT         *float64 `json:"rtt,omitempty"`
	Uncertainty *float64 `json:"uncertainty,omitempty"`
	FireID      string   `json:"fireId,omitempty"`
	StartedAt   *float64 `json:"startedAt,omitempty"`
	FPS         *float64 `json:"fps,omitempty"`
	MedianMs    *float64 `json:"medianMs,omitempty"`
	MaxGapMs    *float64 `json:"maxGapMs,omitempty"`
	Quality     *int     `json:"quality,omitempty"`
	// Media is a stage screen's readiness for one media item of the
	// current or the next segment (issue #16).
	Media *MediaReadiness `json:"media,omitempty"`
}

// Media readiness states (MediaReadiness.State).
const (
	MediaLoading = "loading" // fetching; Progress says how far
	MediaReady   = "ready"   // enough is buffered to play through
	MediaError   = "error"   // the file cannot be fetched or decoded; Error says why
)

// MediaReadiness is how far a screen has loaded a media item:
//
//	{"hash":"9f86d0…","state":"ready","progress":1,"durationMs":512000}
type MediaReadiness struct {
	Hash     string  `json:"hash"`
	State    string  `json:"state"`
	Progress float64 `json:"progress"` // 0 to 1
	// DurationMs is the film's length as the screen's decoder reads it,
	// which confirms (or not) what the editor sent.
	DurationMs int64  `json:"durationMs,omitempty"`
	Error      string `json:"error,omitempty"`
}
