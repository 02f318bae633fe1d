package controller

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on a show, so a corrupt or hostile file cannot exhaust the server
// or the screens.
const (
	MaxSegments      = 500
	MaxTitleLen      = 200   // runes, titles, speaker, venue, organizer
	MaxNotesLen      = 20000 // runes, MC notes
	MaxSegmentSec    = 24 * 3600
	MaxRequiredPress = 16
	MaxWindowMs      = 60_000
	MinLeadMs        = 50
	MaxLeadMs        = 5_000
	defaultWarnSec   = 120
	defaultDangerSec = 30
	maxIDLen         = 64
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Normalize trims text, converts it to Unicode NFC (so that Vietnamese typed
// on different keyboards compares and renders the same) and fills defaults.
func (s *Show) Normalize() {
	if s.Format == "" {
		s.Format = ShowFormat
	}
	for _, p := range []*string{&s.Title, &s.Subtitle, &s.Organizer, &s.Venue, &s.Date, &s.StartTime, &s.Launch.Caption} {
		*p = cleanText(*p)
	}
	if s.Launch.RequiredPresses == 0 {
		s.Launch.RequiredPresses = 1
	}
	if s.Launch.WindowMs == 0 {
		s.Launch.WindowMs = DefaultWindowMs
	}
	normalizeCues(s.Launch.Cues)
	if s.Launch.LeadMs == 0 {
		s.Launch.LeadMs = DefaultLeadMs
	}
	for i := range s.Segments {
		g := &s.Segments[i]
		g.ID = strings.TrimSpace(g.ID)
		g.Title = cleanText(g.Title)
		g.Speaker = cleanText(g.Speaker)
		g.Notes = strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(g.Notes, "\r\n", "\n")))
		if g.Kind == "" {
			g.Kind = KindOther
		}
		if g.OnZero == "" {
			g.OnZero = OnZeroOvertime
		}
		if g.Media != nil {
			g.Media.Name = cleanText(g.Media.Name)
			if g.IsVideo() && g.Media.DurationMs > 0 { // the film sets the plan
				g.DurationSec = int((g.Media.DurationMs + 999) / 1000)
				g.WarnSec = min(g.WarnSec, g.DurationSec)
				g.DangerSec = min(g.DangerSec, g.WarnSec)
			}
		}
		if g.WarnSec == 0 && g.DangerSec == 0 && g.DurationSec > 0 {
			g.WarnSec = min(defaultWarnSec, g.DurationSec/4)
			g.DangerSec = min(defaultDangerSec, g.DurationSec/10)
		}
	}
}

func cleanText(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// Validate checks every rule of a show file. The error names the first
// offending field, e.g. "segments[3].durationSec".
func (s *Show) Validate() error {
	if s.Format != ShowFormat {
		return FieldError("format", "must be %q, got %q", ShowFormat, s.Format)
	}
	if s.Version != ShowVersion {
		return FieldError("version", "unsupported show file version %d (this server reads version %d)", s.Version, ShowVersion)
	}
	if err := checkText("title", s.Title, MaxTitleLen, true, oneLine); err != nil {
		return err
	}
	for field, v := range map[string]string{"subtitle": s.Subtitle, "organizer": s.Organizer, "venue": s.Venue, "launch.caption": s.Launch.Caption} {
		if err := checkText(field, v, MaxTitleLen, false, oneLine); err != nil {
			return err
		}
	}
	if s.Date != "" {
		if _, err := time.Parse(time.DateOnly, s.Date); err != nil {
			return FieldError("date", "must be a date as YYYY-MM-DD, got %q", s.Date)
		}
	}
	if err := validateStartTime(s.StartTime); err != nil {
		return err
	}
	if err := s.Launch.validate(); err != nil {
		return err
	}
	switch n := len(s.Segments); {
	case n == 0:
		return FieldError("segments", "a show needs at least one segment")
	case n > MaxSegments:
		return FieldError("segments", "has %d segments, at most %d are allowed", n, MaxSegments)
	}
	seen := make(map[string]int, len(s.Segments))
	for i, g := range s.Segments {
		prefix := fmt.Sprintf("segments[%d]", i)
		if j, dup := seen[g.ID]; dup {
			return FieldError(prefix+".id", "duplicate id %q (also segments[%d])", g.ID, j)
		}
		seen[g.ID] = i
		if err := g.validate(prefix); err != nil {
			return err
		}
	}
	return nil
}

func (l LaunchSet) validate() error {
	switch {
	case l.RequiredPresses < 1 || l.RequiredPresses > MaxRequiredPress:
		return FieldError("launch.requiredPresses", "must be between 1 and %d, got %d", MaxRequiredPress, l.RequiredPresses)
	case l.WindowMs < 0 || l.WindowMs > MaxWindowMs:
		return FieldError("launch.windowMs", "must be between 0 and %d, got %d", MaxWindowMs, l.WindowMs)
	case l.LeadMs < MinLeadMs || l.LeadMs > MaxLeadMs:
		return FieldError("launch.leadMs", "must be between %d and %d, got %d", MinLeadMs, MaxLeadMs, l.LeadMs)
	}
	return validateCues(l.Cues)
}

func (g Segment) validate(prefix string) error {
	if g.Media != nil {
		if err := g.Media.validate(prefix + ".media"); err != nil {
			return err
		}
	}
	switch {
	case g.ID == "":
		return FieldError(prefix+".id", "must not be empty")
	case len(g.ID) > maxIDLen || !idPattern.MatchString(g.ID):
		return FieldError(prefix+".id", "must be 1-%d lowercase letters, digits, '-' or '_', got %q", maxIDLen, g.ID)
	case !g.Kind.Valid():
		return FieldError(prefix+".kind", "unknown kind %q (one of %v)", g.Kind, Kinds)
	case !g.OnZero.Valid():
		return FieldError(prefix+".onZero", "unknown value %q (overtime, hold or advance)", g.OnZero)
	case g.DurationSec <= 0:
		return FieldError(prefix+".durationSec", "must be positive, got %d", g.DurationSec)
	case g.DurationSec > MaxSegmentSec:
		return FieldError(prefix+".durationSec", "must be at most %d (24 h), got %d", MaxSegmentSec, g.DurationSec)
	case g.WarnSec < 0 || g.WarnSec > g.DurationSec:
		return FieldError(prefix+".warnSec", "must be between 0 and the duration (%d), got %d", g.DurationSec, g.WarnSec)
	case g.DangerSec < 0 || g.DangerSec > g.WarnSec:
		return FieldError(prefix+".dangerSec", "must be between 0 and warnSec (%d), got %d", g.WarnSec, g.DangerSec)
	}
	if err := checkText(prefix+".title", g.Title, MaxTitleLen, true, oneLine); err != nil {
		return err
	}
	if err := checkText(prefix+".speaker", g.Speaker, MaxTitleLen, false, oneLine); err != nil {
		return err
	}
	return checkText(prefix+".notes", g.Notes, MaxNotesLen, false, multiLine)
}

// Lines of a text: a title is one line, notes and messages may have more.
const (
	oneLine   = false
	multiLine = true
)

// checkText refuses an empty text where one is required, invalid UTF-8,
// text over maxRunes, and control characters (line breaks and tabs are
// allowed in a multi-line text): a screen cannot show them.
func checkText(field, v string, maxRunes int, required, lines bool) error {
	switch {
	case required && v == "":
		return FieldError(field, "must not be empty")
	case !utf8.ValidString(v):
		return FieldError(field, "is not valid UTF-8")
	case utf8.RuneCountInString(v) > maxRunes:
		return FieldError(field, "is %d characters long, at most %d are allowed", utf8.RuneCountInString(v), maxRunes)
	}
	if i := strings.IndexFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\t'))
	}); i >= 0 {
		return FieldError(field, "contains a control character (%U) at byte %d", []rune(v[i:])[0], i)
	}
	return nil
}
