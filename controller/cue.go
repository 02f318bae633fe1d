package controller

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CueKind says how a cue is sent.
type CueKind string

// Cue kinds.
const (
	CueOSC  CueKind = "osc"  // one OSC message over UDP
	CueHTTP CueKind = "http" // one HTTP request
)

// Limits on the cues of a show's launch.
const (
	MaxCues        = 32
	MaxCueDelayMs  = 60_000
	MaxCueArgs     = 16
	maxCueAddress  = 256
	maxCueArgLen   = 256
	maxCueTarget   = 512
	MaxCueBodySize = 4 << 10
)

// Cue is something the server sends to another system at the launch's
// fireAt plus DelayMs: an OSC message to a lighting desk or QLab, or an
// HTTP request to Companion or a confetti controller.
type Cue struct {
	Kind CueKind `json:"kind"`
	// Target is host:port for an OSC cue, an http(s) URL for an HTTP one.
	Target string `json:"target"`
	// Address and Args make an OSC cue's message. An argument is a JSON
	// string, boolean or number: a number written with a point or an
	// exponent (1.0, 2e3) is sent as a float32, a whole one as an int32;
	// {"float": 1} is a float32 however it is written (the editor's form).
	Address string            `json:"address,omitempty"`
	Args    []json.RawMessage `json:"args,omitempty"`
	// Method (GET, POST or PUT; POST when empty) and Body make an HTTP
	// cue's request.
	Method  string `json:"method,omitempty"`
	Body    string `json:"body,omitempty"`
	DelayMs int    `json:"delayMs,omitempty"`
	// SkipRehearsal leaves the cue out of a rehearsal's fire (pyrotechnics).
	SkipRehearsal bool `json:"skipRehearsal,omitempty"`
}

// cloneCues copies cues and their arguments.
func cloneCues(cues []Cue) []Cue {
	if cues == nil {
		return nil
	}
	out := make([]Cue, len(cues))
	for i, c := range cues {
		out[i] = c
		if c.Args != nil {
			out[i].Args = make([]json.RawMessage, len(c.Args))
			for j, a := range c.Args {
				out[i].Args[j] = bytes.Clone(a)
			}
		}
	}
	return out
}

// normalizeCues trims the cues' text and names the default method.
func normalizeCues(cues []Cue) {
	for i := range cues {
		c := &cues[i]
		c.Target, c.Address = strings.TrimSpace(c.Target), strings.TrimSpace(c.Address)
		c.Method = strings.ToUpper(strings.TrimSpace(c.Method))
		if c.Kind == CueHTTP && c.Method == "" {
			c.Method = "POST"
		}
	}
}

// validateCues checks the launch's cues; field names start launch.cues.
func validateCues(cues []Cue) error {
	if len(cues) > MaxCues {
		return FieldError("launch.cues", "has %d cues, at most %d are allowed", len(cues), MaxCues)
	}
	for i, c := range cues {
		if err := c.validate(fmt.Sprintf("launch.cues[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (c Cue) validate(prefix string) error {
	if c.DelayMs < 0 || c.DelayMs > MaxCueDelayMs {
		return FieldError(prefix+".delayMs", "must be between 0 and %d, got %d", MaxCueDelayMs, c.DelayMs)
	}
	if len(c.Target) > maxCueTarget {
		return FieldError(prefix+".target", "is longer than %d bytes", maxCueTarget)
	}
	switch c.Kind {
	case CueOSC:
		return c.validateOSC(prefix)
	case CueHTTP:
		return c.validateHTTP(prefix)
	}
	return FieldError(prefix+".kind", "must be osc or http, got %q", c.Kind)
}

func (c Cue) validateOSC(prefix string) error {
	host, port, err := net.SplitHostPort(c.Target)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		return FieldError(prefix+".target", "an OSC cue's target is host:port, e.g. 192.168.1.50:53000, got %q", c.Target)
	}
	switch {
	case !strings.HasPrefix(c.Address, "/") || len(c.Address) > maxCueAddress ||
		strings.ContainsAny(c.Address, " \t\r\n\x00#") || !utf8.ValidString(c.Address):
		return FieldError(prefix+".address", "an OSC address starts with / and has no spaces, at most %d bytes, got %q", maxCueAddress, c.Address)
	case len(c.Args) > MaxCueArgs:
		return FieldError(prefix+".args", "has %d arguments, at most %d", len(c.Args), MaxCueArgs)
	case c.Method != "" || c.Body != "":
		return FieldError(prefix+".method", "an OSC cue has no method or body")
	}
	for j, raw := range c.Args {
		if _, err := cueArg(bytes.TrimSpace(raw)); err != nil {
			return FieldError(fmt.Sprintf("%s.args[%d]", prefix, j), "%s", err)
		}
	}
	return nil
}

// OSCArgs decodes an OSC cue's arguments to int32, float32, string or
// bool values, in order.
func (c Cue) OSCArgs() ([]any, error) {
	out := make([]any, 0, len(c.Args))
	for j, raw := range c.Args {
		v, err := cueArg(bytes.TrimSpace(raw))
		if err != nil {
			return nil, fmt.Errorf("controller: cue argument %d: %w", j, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// cueArg reads one argument: a JSON string, boolean or number.
func cueArg(raw []byte) (any, error) {
	switch {
	case len(raw) == 0:
		return nil, fmt.Errorf("is empty")
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("is not a valid JSON string")
		}
		if len(s) > maxCueArgLen || strings.ContainsRune(s, 0) {
			return nil, fmt.Errorf("a string argument has at most %d bytes and no NUL", maxCueArgLen)
		}
		return s, nil
	case string(raw) == "true":
		return true, nil
	case string(raw) == "false":
		return false, nil
	case raw[0] == '{':
		var v struct {
			Float *float64 `json:"float"`
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil || v.Float == nil || math.Abs(*v.Float) > math.MaxFloat32 {
			return nil, fmt.Errorf("an object argument is {\"float\": a number}, got %s", raw)
		}
		return float32(*v.Float), nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("must be a string, a number or true/false, got %s", raw)
	}
	if bytes.ContainsAny(raw, ".eE") {
		if math.Abs(f) > math.MaxFloat32 {
			return nil, fmt.Errorf("%s does not fit a float32", raw)
		}
		return float32(f), nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 32)
	if err != nil {
		return nil, fmt.Errorf("%s does not fit an int32 (write 1.0 for a float)", raw)
	}
	return int32(n), nil
}

func (c Cue) validateHTTP(prefix string) error {
	u, err := url.Parse(c.Target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return FieldError(prefix+".target", "an HTTP cue's target is an http:// or https:// URL without a password, got %q", c.Target)
	}
	switch {
	case c.Method != "GET" && c.Method != "POST" && c.Method != "PUT":
		return FieldError(prefix+".method", "must be GET, POST or PUT, got %q", c.Method)
	case len(c.Body) > MaxCueBodySize || !utf8.ValidString(c.Body):
		return FieldError(prefix+".body", "must be UTF-8 text of at most %d bytes", MaxCueBodySize)
	case c.Method == "GET" && c.Body != "":
		return FieldError(prefix+".body", "a GET has no body")
	case c.Address != "" || len(c.Args) > 0:
		return FieldError(prefix+".address", "an HTTP cue has no OSC address or arguments")
	}
	return nil
}
