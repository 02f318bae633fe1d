package controller

import (
	"encoding/json"
	"fmt"
	"time"
)

// ShowFormat and ShowVersion identify the show file format. A file of another
// version is refused rather than guessed at.
const (
	ShowFormat  = "phatdong-show"
	ShowVersion = 1
)

// Show is the programme of one ceremony.
type Show struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Title     string `json:"title"`
	Subtitle  string `json:"subtitle,omitempty"`
	Organizer string `json:"organizer,omitempty"`
	Venue     string `json:"venue,omitempty"`
	Date      string `json:"date,omitempty"` // YYYY-MM-DD, or empty
	// StartTime is the planned clock time of the first segment, "HH:MM"
	// in the server's time zone, or empty for a show without a plan.
	StartTime string    `json:"startTime,omitempty"`
	Launch    LaunchSet `json:"launch"`
	Segments  []Segment `json:"segments"`
}

// LaunchSet configures the launch moment.
type LaunchSet struct {
	// RequiredPresses is K: how many distinct buttons must press within
	// WindowMs before the launch fires.
	RequiredPresses int `json:"requiredPresses"`
	WindowMs        int `json:"windowMs"`
	// LeadMs is how far after the decision the screens start the moment, so
	// the fire event reaches every screen before it plays.
	LeadMs int `json:"leadMs"`
	// Caption is the text of the launch animation.
	Caption string `json:"caption,omitempty"`
	// Cues are sent to other systems at fireAt (controller/cue.go).
	Cues []Cue `json:"cues,omitempty"`
}

// Launch defaults.
const (
	DefaultLeadMs   = 250
	DefaultWindowMs = 5000
)

// Index returns the position of the segment with the given id, or -1.
func (s *Show) Index(id string) int {
	for i := range s.Segments {
		if s.Segments[i].ID == id {
			return i
		}
	}
	return -1
}

// Lead is the launch lead time.
func (s *Show) Lead() time.Duration { return time.Duration(s.Launch.LeadMs) * time.Millisecond }

// Clone returns a deep copy, so that callers never share a show's slices.
func (s *Show) Clone() *Show {
	c := *s
	c.Segments = append([]Segment(nil), s.Segments...)
	c.Launch.Cues = cloneCues(s.Launch.Cues)
	return &c
}

// ParseShow decodes, normalizes and validates a show file. Unknown fields are
// refused so that a typo does not silently drop a setting.
func ParseShow(data []byte) (*Show, error) {
	var s Show
	if err := DecodeJSON(data, &s); err != nil {
		return nil, err
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// MarshalIndent encodes the show as a human-editable file.
func (s *Show) MarshalIndent() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("controller: encode show: %w", err)
	}
	return append(b, '\n'), nil
}
