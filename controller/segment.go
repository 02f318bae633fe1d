package controller

import "time"

// Kind says what a segment is, which decides how the screens present it.
type Kind string

// Segment kinds. Welcome and closing are the slides before and after the
// programme; launch is the segment in which the launch moment can fire.
const (
	KindWelcome     Kind = "welcome"
	KindPerformance Kind = "performance"
	KindSpeech      Kind = "speech"
	KindVideo       Kind = "video"
	KindLaunch      Kind = "launch"
	KindBreak       Kind = "break"
	KindClosing     Kind = "closing"
	KindOther       Kind = "other"
)

// Kinds lists every valid kind, in the order an editor offers them.
var Kinds = []Kind{KindWelcome, KindPerformance, KindSpeech, KindVideo, KindLaunch, KindBreak, KindClosing, KindOther}

// OnZero says what happens when a segment's countdown reaches zero.
type OnZero string

// What happens at zero. Overtime is the default: the clock counts up in red.
const (
	OnZeroOvertime OnZero = "overtime" // keep running into overtime (+mm:ss)
	OnZeroHold     OnZero = "hold"     // stop at 00:00
	OnZeroAdvance  OnZero = "advance"  // move to the next segment and start it
)

// Segment is one item of the programme.
type Segment struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Kind  Kind   `json:"kind"`
	// DurationSec is the planned duration in seconds.
	DurationSec int `json:"durationSec"`
	// Speaker is who is responsible or speaking.
	Speaker string `json:"speaker,omitempty"`
	// Notes is the MC's script for this segment.
	Notes string `json:"notes,omitempty"`
	// WarnSec and DangerSec are the seconds left at which clocks turn amber
	// and red. Both zero means "use the defaults" (see Normalize).
	WarnSec   int    `json:"warnSec"`
	DangerSec int    `json:"dangerSec"`
	OnZero    OnZero `json:"onZero,omitempty"`
	// Media is the video or still the stage screens show during the
	// segment (issue #16); nil shows the segment's slide.
	Media *Media `json:"media,omitempty"`
}

// Duration is the planned duration: a film's own length.
func (s Segment) Duration() time.Duration { return time.Duration(s.durationMs()) * time.Millisecond }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Valid reports whether z is a known behaviour at zero.
func (z OnZero) Valid() bool {
	return z == OnZeroOvertime || z == OnZeroHold || z == OnZeroAdvance
}
