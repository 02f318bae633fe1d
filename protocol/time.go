package protocol

// TimeMsg is a clock-sync request and, with T1 and T2 set, its answer
// (protocol §3). T0 is the client's clock when it sent the request, echoed
// exactly; T1 is when the server received it and T2 just before it
// answered, both server time in Unix ms:
//
//	{"type":"time","t0":1744599990000.125}
//	{"type":"time","t0":1744599990000.125,"t1":1744600000000.5,"t2":1744600000000.51}
type TimeMsg struct {
	Type string  `json:"type"`
	T0   float64 `json:"t0"`
	T1   float64 `json:"t1,omitempty"`
	T2   float64 `json:"t2,omitempty"`
}
