package controller

import (
	"regexp"
	"time"
)

// Media is a segment's video or still image (issue #16): the file in the
// server's media folder, named by its content's SHA-256, with what the
// server learned of it when it was uploaded.
type Media struct {
	// Hash is the SHA-256 of the file, 64 lowercase hex digits: its name
	// in the media folder and in the show file.
	Hash string    `json:"hash"`
	Kind MediaKind `json:"kind"`
	// Type is the MIME type the server found in the file's content.
	Type string `json:"type"`
	// Name is the file's name when it was uploaded, for the editor.
	Name string `json:"name,omitempty"`
	Size int64  `json:"size"`
	// DurationMs is a video's length, read from its metadata by the
	// editor; the segment lasts as long. 0 for a still.
	DurationMs int64 `json:"durationMs,omitempty"`
}

// MediaKind is what a media item is.
type MediaKind string

// Kinds of media.
const (
	MediaVideo MediaKind = "video"
	MediaImage MediaKind = "image"
)

// MediaTypes are the MIME types a media item may have, by kind.
var MediaTypes = map[string]MediaKind{
	"video/mp4": MediaVideo, "video/webm": MediaVideo,
	"image/png": MediaImage, "image/jpeg": MediaImage, "image/webp": MediaImage,
}

// Limits of media.
const (
	MaxMediaBytes    = 4 << 30 // 4 GiB
	MinVideoMs       = 1000
	MaxVideoMs       = 6 * 3600 * 1000
	maxMediaNameRune = 200
)

// MediaLead is how far ahead a video's start (or resume) is scheduled:
// every stage screen receives the state before the instant and starts
// the film at it, together, as they start the launch moment.
const MediaLead = 500 * time.Millisecond

var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// IsVideo reports whether the segment plays a film: its clock is the
// film's.
func (g Segment) IsVideo() bool { return g.Media != nil && g.Media.Kind == MediaVideo }

// durationMs is the segment's length on its clock: the film's, or the
// planned duration.
func (g Segment) durationMs() int64 {
	if g.IsVideo() {
		return g.Media.DurationMs
	}
	return int64(g.DurationSec) * 1000
}

// startLead is how far ahead the segment's clock starts: MediaLead for a
// film, at once otherwise.
func (g Segment) startLead() int64 {
	if g.IsVideo() {
		return MediaLead.Milliseconds()
	}
	return 0
}

// validate checks a media item of the segment at prefix.
func (m Media) validate(prefix string) error {
	kind, known := MediaTypes[m.Type]
	switch {
	case !hashPattern.MatchString(m.Hash):
		return FieldError(prefix+".hash", "must be a SHA-256 in 64 lowercase hex digits, got %q", m.Hash)
	case m.Kind != MediaVideo && m.Kind != MediaImage:
		return FieldError(prefix+".kind", "unknown kind %q (video or image)", m.Kind)
	case !known:
		return FieldError(prefix+".type", "unsupported type %q (MP4, WebM, PNG, JPEG or WebP)", m.Type)
	case kind != m.Kind:
		return FieldError(prefix+".type", "%q is not a %s", m.Type, m.Kind)
	case m.Size <= 0 || m.Size > MaxMediaBytes:
		return FieldError(prefix+".size", "must be between 1 byte and 4 GiB, got %d", m.Size)
	case m.Kind == MediaVideo && (m.DurationMs < MinVideoMs || m.DurationMs > MaxVideoMs):
		return FieldError(prefix+".durationMs", "a video must last between 1 s and 6 h, got %d ms", m.DurationMs)
	case m.Kind == MediaImage && m.DurationMs != 0:
		return FieldError(prefix+".durationMs", "a still has no duration")
	}
	return checkText(prefix+".name", m.Name, maxMediaNameRune, false, oneLine)
}
