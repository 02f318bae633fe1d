package controller

import (
	"strings"
	"unicode/utf8"
)

// CommandType names what a command does.
type CommandType string

// Command types. Expire is the engine's own: the clock of a segment that
// holds or advances at zero reached zero.
const (
	CmdGoto        CommandType = "goto"
	CmdNext        CommandType = "next"
	CmdPrevious    CommandType = "previous"
	CmdStart       CommandType = "start"
	CmdPause       CommandType = "pause"
	CmdResume      CommandType = "resume"
	CmdResetTimer  CommandType = "reset-timer"
	CmdAddTime     CommandType = "add-time"
	CmdMessage     CommandType = "message"
	CmdClearMsg    CommandType = "clear-message"
	CmdBlackout    CommandType = "blackout"
	CmdArm         CommandType = "arm"
	CmdDisarm      CommandType = "disarm"
	CmdPress       CommandType = "press"
	CmdFire        CommandType = "fire"
	CmdResetLaunch CommandType = "reset-launch"
	CmdRehearsal   CommandType = "rehearsal"
	CmdExpire      CommandType = "expire"
	// CmdTakeover makes a standby the primary, one epoch up (issue #14).
	CmdTakeover CommandType = "takeover"
)

// Limits on a command's fields.
const (
	MaxMessageLen  = 500 // runes
	MaxAddSeconds  = 6 * 3600
	maxIdentLen    = 128
	maxCommandSize = 4 << 10
	// MaxButtonLen is the longest button id, in characters, on every
	// transport; a press id may have maxIdentLen.
	MaxButtonLen = 64
)

// MaxCommandBytes is the largest encoded command a transport should accept.
const MaxCommandBytes = maxCommandSize

// Command is one request to change the state. Only the fields its type uses
// may be set.
type Command struct {
	Type CommandType `json:"type"`
	// ID is chosen by the client; a retry with the same ID gets the first
	// answer again and is not applied twice.
	ID string `json:"id,omitempty"`
	// Seq, when set, is the state sequence the command was decided on; the
	// command is refused as a conflict if the state has moved on.
	Seq *uint64 `json:"seq,omitempty"`

	Segment string `json:"segment,omitempty"` // goto
	Seconds int    `json:"seconds,omitempty"` // add-time (negative removes)
	Text    string `json:"text,omitempty"`    // message
	Blink   bool   `json:"blink,omitempty"`   // message
	On      *bool  `json:"on,omitempty"`      // blackout, rehearsal

	Button    string `json:"button,omitempty"`    // press: the button's id
	Name      string `json:"name,omitempty"`      // press: the button's display name
	PressID   string `json:"pressId,omitempty"`   // press: unique per physical press
	PressedAt int64  `json:"pressedAt,omitempty"` // press: when, in server time (Unix ms)
}

// Actor says who sent a command, for the journal and the fire's source.
type Actor struct {
	Role string `json:"role"`           // operator, button, api, system
	Name string `json:"name,omitempty"` // a device or button name
	Addr string `json:"addr,omitempty"` // remote address
}

// Normalize returns a copy of the command as the rules read it: its text
// trimmed and in Unicode NFC. The command itself is left as it is.
func (c Command) Normalize() Command {
	c.Text = cleanText(c.Text)
	return c
}

// Validate checks the shape of a normalised command (see Normalize), before
// it is applied to any state. It changes nothing.
func (c Command) Validate() error {
	switch {
	case len(c.ID) > maxIdentLen && c.ID != c.pressKey():
		return FieldError("id", "is longer than %d bytes", maxIdentLen)
	case utf8.RuneCountInString(c.Button) > MaxButtonLen:
		return FieldError("button", "is longer than %d characters", MaxButtonLen)
	case utf8.RuneCountInString(c.PressID) > maxIdentLen:
		return FieldError("pressId", "is longer than %d characters", maxIdentLen)
	case len(c.Segment) > maxIdentLen:
		return FieldError("segment", "is longer than %d bytes", maxIdentLen)
	case utf8.RuneCountInString(c.Name) > MaxTitleLen:
		return FieldError("name", "is longer than %d characters", MaxTitleLen)
	}
	switch c.Type {
	case CmdGoto:
		if c.Segment == "" {
			return FieldError("segment", "goto needs a segment id")
		}
	case CmdAddTime:
		if c.Seconds == 0 || c.Seconds > MaxAddSeconds || c.Seconds < -MaxAddSeconds {
			return FieldError("seconds", "must be non-zero and within ±%d, got %d", MaxAddSeconds, c.Seconds)
		}
	case CmdMessage:
		if c.Text == "" {
			return FieldError("text", "a message needs text (use clear-message to clear it)")
		}
		if err := checkText("text", c.Text, MaxMessageLen, true, multiLine); err != nil {
			return err
		}
	case CmdBlackout, CmdRehearsal:
		if c.On == nil {
			return FieldError("on", "%s needs \"on\": true or false", c.Type)
		}
	case CmdPress:
		if strings.TrimSpace(c.Button) == "" {
			return FieldError("button", "a press needs the button's id")
		}
		if c.PressID == "" {
			return FieldError("pressId", "a press needs a unique press id")
		}
	case CmdNext, CmdPrevious, CmdStart, CmdPause, CmdResume, CmdResetTimer,
		CmdClearMsg, CmdArm, CmdDisarm, CmdFire, CmdResetLaunch:
	case CmdExpire:
		return Errorf(EFORBIDDEN, "expire is the server's own command")
	case CmdTakeover:
		return Errorf(EFORBIDDEN, "a takeover goes through the standby's pair, not as a command")
	case "":
		return FieldError("type", "a command needs a type")
	default:
		return FieldError("type", "unknown command type %q", c.Type)
	}
	return nil
}

// pressKey is the id the engine gives a press that has none: a retry of
// the same press of the same button is the same command.
func (c Command) pressKey() string {
	if c.Type != CmdPress || c.PressID == "" {
		return ""
	}
	return "press/" + c.Button + "/" + c.PressID
}

// IsLaunch reports whether the command acts on the launch.
func (c Command) IsLaunch() bool {
	switch c.Type {
	case CmdArm, CmdDisarm, CmdPress, CmdFire, CmdResetLaunch:
		return true
	}
	return false
}
