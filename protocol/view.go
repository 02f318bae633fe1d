package protocol

// StateMsg is the full live state, sent to every socket after every change
// (protocol §2):
//
//	{"type":"state","serverTime":1744600000001.25,"state":{"seq":42,…}}
type StateMsg struct {
	Type       string  `json:"type"`
	ServerTime float64 `json:"serverTime"`
	State      View    `json:"state"`
}

// View is everything a screen needs to render the live state, without the
// whole rundown (ShowMsg carries that, when ShowRev changes):
//
//	{"seq":42,"showRev":3,"show":{…},"current":{…},"next":{…},"timer":{…},"message":{…},"blackout":false,"launch":{…},"rehearsal":false,"runs":{…}}
type View struct {
	Seq uint64 `json:"seq"`
	// Epoch rises with every takeover of a standby (absent before the
	// first): a device that saw a higher epoch ignores a state of a lower
	// one, from a primary that has not yet learnt it was replaced.
	Epoch     uint64         `json:"epoch,omitempty"`
	ShowRev   uint64         `json:"showRev"`
	Show      ShowInfo       `json:"show"`
	Current   SegmentView    `json:"current"`
	Next      *SegmentView   `json:"next"` // null on the last segment
	Timer     Timer          `json:"timer"`
	Message   Message        `json:"message"`
	Blackout  bool           `json:"blackout"`
	Launch    Launch         `json:"launch"`
	Rehearsal bool           `json:"rehearsal"`
	Runs      map[string]Run `json:"runs"` // by segment id
	// Plan is the show against its planned clock times (issue #18);
	// absent for a show without a start time.
	Plan *Plan `json:"plan,omitempty"`
}

// ShowInfo is the show's title block:
//
//	{"title":"Lễ phát động…","caption":"PHÁT ĐỘNG…","segmentCount":8}
type ShowInfo struct {
	Title        string `json:"title"`
	Subtitle     string `json:"subtitle,omitempty"`
	Organizer    string `json:"organizer,omitempty"`
	Venue        string `json:"venue,omitempty"`
	Date         string `json:"date,omitempty"`
	Caption      string `json:"caption,omitempty"` // the launch animation's text
	SegmentCount int    `json:"segmentCount"`
}

// SegmentView is a segment as a screen draws it, times in milliseconds:
//
//	{"index":3,"id":"phat-bieu","title":"…","kind":"speech","durationMs":600000,"warnMs":120000,"dangerMs":30000,"onZero":"overtime"}
type SegmentView struct {
	Index      int    `json:"index"`
	ID         string `json:"id"`
	Title      string `json:"title"`
	Kind       Kind   `json:"kind"`
	Speaker    string `json:"speaker,omitempty"`
	DurationMs int64  `json:"durationMs"`
	WarnMs     int64  `json:"warnMs"`
	DangerMs   int64  `json:"dangerMs"`
	OnZero     OnZero `json:"onZero"`
	// Media is what the stage screens show during the segment (issue
	// #16): a film, its position derived from the timer, or a still;
	// absent for the segment's slide.
	Media *Media `json:"media,omitempty"`
}

// TimerPhase is whether the current segment's clock is running.
type TimerPhase string

// Timer phases.
const (
	TimerReady   TimerPhase = "ready"   // not started
	TimerRunning TimerPhase = "running" // counting
	TimerPaused  TimerPhase = "paused"  // held by the operator
	TimerDone    TimerPhase = "done"    // reached zero on a segment that holds at zero
)

// Timer is the current segment's clock as absolute server timestamps (Unix
// ms); a client derives the remaining time from it and its synced clock:
//
//	{"phase":"running","startedAt":1744599990000,"pausedAt":0,"pausedMs":0,"addedMs":60000,"durationMs":600000}
type Timer struct {
	Phase      TimerPhase `json:"phase"`
	StartedAt  int64      `json:"startedAt"`
	PausedAt   int64      `json:"pausedAt"` // 0 when not paused
	PausedMs   int64      `json:"pausedMs"` // finished pauses
	AddedMs    int64      `json:"addedMs"`  // negative when time was removed
	DurationMs int64      `json:"durationMs"`
}

// Message is the MC's message to the speaker's confidence monitor:
//
//	{"text":"Còn 2 phút","blink":false,"at":1744599999000}
type Message struct {
	Text  string `json:"text"`
	Blink bool   `json:"blink"`
	At    int64  `json:"at"` // when it was set, Unix ms
}

// Run is what actually happened to one segment:
//
//	{"startedAt":1744599000000,"endedAt":1744599600000,"elapsedMs":600000,"plannedMs":600000}
type Run struct {
	StartedAt int64 `json:"startedAt"`
	EndedAt   int64 `json:"endedAt,omitempty"`
	ElapsedMs int64 `json:"elapsedMs"` // pauses excluded
	PlannedMs int64 `json:"plannedMs"` // planned duration plus time added
}
