package protocol

import "encoding/json"

// ShowMsg is the rundown, sent to operators and monitors when it changes
// (protocol §2):
//
//	{"type":"show","showRev":3,"show":{"format":"phatdong-show","version":1,…}}
type ShowMsg struct {
	Type    string `json:"type"`
	ShowRev uint64 `json:"showRev"`
	Show    *Show  `json:"show"`
}

// Show is the rundown as the show file and the API carry it:
//
//	{"format":"phatdong-show","version":1,"title":"…","launch":{…},"segments":[…]}
type Show struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Subtitle  string    `json:"subtitle,omitempty"`
	Organizer string    `json:"organizer,omitempty"`
	Venue     string    `json:"venue,omitempty"`
	Date      string    `json:"date,omitempty"`      // YYYY-MM-DD, or empty
	StartTime string    `json:"startTime,omitempty"` // HH:MM, the first segment's planned start
	Launch    LaunchSet `json:"launch"`
	Segments  []Segment `json:"segments"`
}

// LaunchSet configures the launch moment:
//
//	{"requiredPresses":1,"windowMs":5000,"leadMs":250,"caption":"PHÁT ĐỘNG…"}
type LaunchSet struct {
	RequiredPresses int    `json:"requiredPresses"`
	WindowMs        int    `json:"windowMs"`
	LeadMs          int    `json:"leadMs"`
	Caption         string `json:"caption,omitempty"`
	Cues            []Cue  `json:"cues,omitempty"`
}

// Cue is what the server sends another system at the moment: an OSC
// message (kind "osc", target host:port, address, args) or an HTTP request
// (kind "http", target URL, method, body), delayMs after fireAt
// (docs/companion.md).
type Cue struct {
	Kind          string            `json:"kind"`
	Target        string            `json:"target"`
	Address       string            `json:"address,omitempty"`
	Args          []json.RawMessage `json:"args,omitempty"`
	Method        string            `json:"method,omitempty"`
	Body          string            `json:"body,omitempty"`
	DelayMs       int               `json:"delayMs,omitempty"`
	SkipRehearsal bool              `json:"skipRehearsal,omitempty"`
}

// Kind is what a segment is: welcome, performance, speech, video, launch,
// break, closing or other.
type Kind string

// OnZero is what happens when a segment's countdown reaches zero:
// overtime, hold or advance.
type OnZero string

// Segment is one item of the programme:
//
//	{"id":"phat-bieu","title":"…","kind":"speech","durationSec":600,"speaker":"…","warnSec":120,"dangerSec":30,"onZero":"overtime"}
type Segment struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Kind        Kind   `json:"kind"`
	DurationSec int    `json:"durationSec"`
	Speaker     string `json:"speaker,omitempty"`
	Notes       string `json:"notes,omitempty"` // the MC's script
	WarnSec     int    `json:"warnSec"`
	DangerSec   int    `json:"dangerSec"`
	OnZero      OnZero `json:"onZero,omitempty"`
	Media       *Media `json:"media,omitempty"`
}

// Media is a segment's video or still (issue #16), served at
// /media/<hash>:
//
//	{"hash":"9f86d0…","kind":"video","type":"video/mp4","name":"phong-su.mp4","size":73400320,"durationMs":512000}
type Media struct {
	// Hash is the file's SHA-256, 64 lowercase hex digits.
	Hash string `json:"hash"`
	// Kind is "video" or "image"; Type the MIME type found in the file.
	Kind string `json:"kind"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
	Size int64  `json:"size"`
	// DurationMs is a video's length; the segment lasts as long.
	DurationMs int64 `json:"durationMs,omitempty"`
}
