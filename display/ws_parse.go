package display

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parseInbound decodes one message into m. Device messages are flat JSON
// objects: strings, numbers, booleans and nulls, and one nested object,
// "command", which is kept raw for the command's own decoder.
//
// encoding/json would do, but it is deep: the socket's reader goroutine
// decodes every clock-sync request, and its stack, which every idle socket
// keeps, would grow to fit. This decoder is flat and allocates little. The
// input is checked with json.Valid first (an iterative scanner), so the
// walk below only has to understand valid JSON.
func parseInbound(data []byte, m *inbound) error {
	if !json.Valid(data) {
		return errNotJSON
	}
	p := flat{b: data}
	p.space()
	if !p.eat('{') {
		return errNotObject
	}
	p.space()
	if p.eat('}') {
		return nil
	}
	for {
		p.space()
		key := p.str()
		p.space()
		p.eat(':')
		p.space()
		if err := p.field(key, m); err != nil {
			return err
		}
		p.space()
		if !p.eat(',') {
			return nil // '}': json.Valid saw to the rest
		}
	}
}

var (
	errNotJSON   = errors.New("the message is not valid JSON")
	errNotObject = errors.New("the message is not a JSON object")
)

// flat walks valid JSON.
type flat struct {
	b []byte
	i int
}

func (p *flat) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *flat) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// field decodes the value of key into m, or skips it.
func (p *flat) field(key string, m *inbound) error {
	var s *string
	var f **float64
	switch key {
	case "type":
		s = &m.Type
	case "ref":
		s = &m.Ref
	case "role":
		return p.into(key, (*string)(&m.Role))
	case "name":
		s = &m.Name
	case "token":
		s = &m.Token
	case "key":
		s = &m.Key
	case "button":
		s = &m.Button
	case "pressId":
		s = &m.PressID
	case "fireId":
		s = &m.FireID
	case "pressedAt":
		f = &m.PressedAt
	case "t0":
		f = &m.T0
	case "offset":
		f = &m.Offset
	case "rtt":
		f = &m.RTT
	case "uncertainty":
		f = &m.Uncertainty
	case "startedAt":
		f = &m.StartedAt
	case "fps":
		f = &m.FPS
	case "medianMs":
		f = &m.MedianMs
	case "maxGapMs":
		f = &m.MaxGapMs
	case "quality":
		f = &m.Quality
	case "command":
		start := p.i
		p.skip()
		m.Command = json.RawMessage(p.b[start:p.i])
		return nil
	default:
		p.skip()
		return nil
	}
	if s != nil {
		return p.into(key, s)
	}
	return p.number(key, f)
}

// into decodes a string (or null, which leaves s alone).
func (p *flat) into(key string, s *string) error {
	switch p.b[p.i] {
	case '"':
		*s = p.str()
		return nil
	case 'n':
		p.skip()
		return nil
	}
	return typeError(key, "a string")
}

// number decodes a number (or null, which sets nil).
func (p *flat) number(key string, f **float64) error {
	c := p.b[p.i]
	if c == 'n' {
		p.skip()
		*f = nil
		return nil
	}
	if c != '-' && (c < '0' || c > '9') {
		return typeError(key, "a number")
	}
	start := p.i
	p.skip()
	v, err := strconv.ParseFloat(string(p.b[start:p.i]), 64)
	if err != nil {
		return typeError(key, "a number within range")
	}
	*f = &v
	return nil
}

func typeError(key, want string) error {
	return &fieldTypeError{key: key, want: want}
}

// fieldTypeError is a field of the wrong type.
type fieldTypeError struct{ key, want string }

func (e *fieldTypeError) Error() string { return e.key + " must be " + e.want }

// str decodes the string at p.i, escapes and all; invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func (p *flat) str() string {
	p.i++ // the opening quote
	start := p.i
	for p.i < len(p.b) && p.b[p.i] != '"' && p.b[p.i] != '\\' && p.b[p.i] < utf8.RuneSelf {
		p.i++
	}
	if p.i < len(p.b) && p.b[p.i] == '"' {
		p.i++
		return string(p.b[start : p.i-1]) // the common case: plain ASCII
	}
	out := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(out)
		case c == '\\':
			out = p.escape(out)
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.i++
		default:
			r, n := utf8.DecodeRune(p.b[p.i:])
			out = utf8.AppendRune(out, r) // RuneError for a bad byte
			p.i += n
		}
	}
	return string(out)
}

// escape decodes the escape at p.i.
func (p *flat) escape(out []byte) []byte {
	c := p.b[p.i+1]
	p.i += 2
	switch c {
	case 'b':
		return append(out, '\b')
	case 'f':
		return append(out, '\f')
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case 't':
		return append(out, '\t')
	case 'u':
		r := p.hex4()
		if utf16.IsSurrogate(r) {
			if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
				save := p.i
				p.i += 2
				if r2 := utf16.DecodeRune(r, p.hex4()); r2 != utf8.RuneError {
					return utf8.AppendRune(out, r2)
				}
				p.i = save
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(out, r)
	}
	return append(out, c) // \" \\ \/
}

func (p *flat) hex4() rune {
	v, _ := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	p.i += 4
	return rune(v)
}

// skip moves past one value of any kind.
func (p *flat) skip() {
	depth := 0
	for p.i < len(p.b) {
		switch c := p.b[p.i]; c {
		case '"':
			p.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				p.i++
				return
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return
			}
		}
		p.i++
		if depth == 0 && p.i < len(p.b) && (p.b[p.i] == ',' || p.b[p.i] == '}' || p.b[p.i] == ']') {
			return // the end of a number or a literal
		}
	}
}
