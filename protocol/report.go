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
}
