package protocol

// DevicesMsg is the list of connected devices, sent to operators only
// when it changes (protocol §7):
//
//	{"type":"devices","serverTime":1744600000000.125,"counts":{"operator":1,"stage":3},"devices":[…],"fire":{…}}
type DevicesMsg struct {
	Type       string       `json:"type"`
	ServerTime float64      `json:"serverTime"`
	Counts     map[Role]int `json:"counts"`
	Devices    []Device     `json:"devices"`
	Fire       *FireSummary `json:"fire"` // null before any fire
	// Warnings are what operators should act on before the show, e.g. the
	// shared button key of an older database still opening.
	Warnings []Warning `json:"warnings,omitempty"`
	// Pair is the primary–standby pair (issue #14) as this server sees
	// it; absent when the server has never had a peer.
	Pair *Pair `json:"pair,omitempty"`
	// Venues are the district halls that follow this province server
	// (issue #15); absent when none was ever created.
	Venues []Venue `json:"venues,omitempty"`
	// Hall is this district hall's link to the province, on a hall's
	// server; absent elsewhere.
	Hall *Hall `json:"hall,omitempty"`
}

// Warning is one thing for operators to act on:
//
//	{"code":"shared_button_key","message":"Khoá nút bấm dùng chung (kiểu cũ) vẫn còn hiệu lực…"}
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"` // Vietnamese, for the MC's screen
}

// WarnSharedButtonKey: the shared button key of an older database still
// opens, so one holder can press as every button.
const WarnSharedButtonKey = "shared_button_key"

// Device is one connected device as operators see it:
//
//	{"id":"c42","role":"stage","name":"Màn LED chính","addr":"10.0.0.21","connectedAt":1744599000100,"lastSeen":1744600000000,"rttMs":4.1,"offsetMs":-10003.2,"uncertaintyMs":2.3}
type Device struct {
	ID     string `json:"id"`
	Role   Role   `json:"role"`
	Name   string `json:"name,omitempty"`
	Button string `json:"button,omitempty"` // a button's id
	// Credential is the id of the credential an operator, a button or a
	// screen paired by QR code connected with (see /api/v1/credentials).
	Credential string `json:"credential,omitempty"`
	Addr       string `json:"addr"`
	// ConnectedAt and LastSeen (the last message or pong) are Unix ms.
	ConnectedAt int64 `json:"connectedAt"`
	LastSeen    int64 `json:"lastSeen"`
	// The device's own report of its clock; absent until it reports.
	RTTMs         *float64 `json:"rttMs,omitempty"`
	OffsetMs      *float64 `json:"offsetMs,omitempty"`
	UncertaintyMs *float64 `json:"uncertaintyMs,omitempty"`
	// How smoothly a screen drew its last moment (a fire or a self-test);
	// absent until it reports.
	Moment *MomentFigures `json:"moment,omitempty"`
	// Media is a stage screen's readiness for the media of the current
	// and the next segment, as it last reported (issue #16).
	Media []MediaReadiness `json:"media,omitempty"`
}

// MomentFigures is a screen's account of how smoothly it drew its last
// launch moment: a rehearsal fire, the real one or a self-test:
//
//	{"fps":58.6,"medianMs":16.7,"maxGapMs":33.4,"quality":3,"reportedAt":1744600124000}
type MomentFigures struct {
	FPS      float64 `json:"fps"`
	MedianMs float64 `json:"medianMs"`
	// MaxGapMs is the longest time between two frames after the moment's
	// first 100 ms.
	MaxGapMs float64 `json:"maxGapMs"`
	// Quality is the level the screen settled on, 0 (least) to 3 (full).
	Quality    int   `json:"quality"`
	ReportedAt int64 `json:"reportedAt"` // Unix ms
}

// FireSummary is the spread of one fire without the per-device reports:
//
//	{"fireId":"f57","fireAt":1744600123456,"firedAt":1744600123206,"sockets":4,"reports":3,"late":0,"earliestMs":0.4,"latestMs":2.5,"spreadMs":2.1}
type FireSummary struct {
	FireID  string `json:"fireId"`
	FireAt  int64  `json:"fireAt"`  // Unix ms, server time
	FiredAt int64  `json:"firedAt"` // when the server decided, Unix ms
	// Sockets is how many sockets the fire event was sent to (0 when it
	// fired before this server started).
	Sockets int `json:"sockets"`
	// Reports counts the reports in the spread (late joiners left out);
	// Late counts the late joiners.
	Reports int `json:"reports"`
	Late    int `json:"late"`
	// EarliestMs and LatestMs are the earliest and latest start relative
	// to FireAt, SpreadMs their difference; all 0 without reports.
	EarliestMs float64 `json:"earliestMs"`
	LatestMs   float64 `json:"latestMs"`
	SpreadMs   float64 `json:"spreadMs"`
	// Cues are how the launch's cues went, on the server that sent them
	// (the primary); absent where none were scheduled.
	Cues []CueOutcome `json:"cues,omitempty"`
}

// Cue outcome states (CueOutcome.State).
const (
	CuePending = "pending" // scheduled, its instant not yet come
	CueSent    = "sent"
	CueFailed  = "failed"
	CueSkipped = "skipped" // skipRehearsal, in a rehearsal
)

// Why a cue failed (CueOutcome.Reason).
const (
	CueTimeout     = "timeout"     // no answer within the sender's timeout
	CueRefused     = "refused"     // the target refused the connection
	CueUnreachable = "unreachable" // no route, or a name that does not resolve
	CueStatus      = "status"      // an HTTP answer that is not 2xx (Status)
	CueInvalid     = "invalid"     // the cue cannot be made (its arguments)
	CueOther       = "other"
)

// CueOutcome is how one of the launch's cues went at a fire (issue #18),
// on the FireSummary of the server that sent it:
//
//	{"index":1,"kind":"http","target":"http://10.0.0.9:8000/api/location/1/0/1/press","method":"POST","dueAt":1744600123956,"state":"failed","lateMs":0.8,"reason":"status","status":500}
type CueOutcome struct {
	Index   int    `json:"index"` // its place in the show's launch.cues
	Kind    string `json:"kind"`  // osc or http
	Target  string `json:"target"`
	Address string `json:"address,omitempty"` // an OSC cue's address
	Method  string `json:"method,omitempty"`  // an HTTP cue's method
	DueAt   int64  `json:"dueAt"`             // fireAt plus its delay, Unix ms
	State   string `json:"state"`
	// LateMs is how long after DueAt it went out (sent or failed).
	LateMs float64 `json:"lateMs,omitempty"`
	Reason string  `json:"reason,omitempty"` // a failed cue's
	Status int     `json:"status,omitempty"` // with reason status
	// Why says in Vietnamese why it failed, for the MC and the report.
	Why string `json:"why,omitempty"`
}
