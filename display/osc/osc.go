// Package osc encodes and decodes OSC 1.0 messages (Open Sound Control):
// an address, a type tag string and arguments, each padded to four bytes.
// Only the types phatdong speaks are known: i (int32), f (float32),
// s (string), T and F (booleans without data). Bundles are not decoded.
package osc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
)

// MaxPacket is the largest packet Decode accepts, in bytes.
const MaxPacket = 8 << 10

// MaxArgs is the most arguments a message may carry.
const MaxArgs = 16

// Message is one OSC message. Args hold int32, float32, string or bool.
type Message struct {
	Address string
	Args    []any
}

// ErrBundle is returned by Decode for an OSC bundle ("#bundle").
var ErrBundle = errors.New("osc: bundles are not accepted")

// Decode parses one OSC message from a packet. It refuses bundles,
// unknown type tags, missing padding and trailing bytes.
func Decode(p []byte) (Message, error) {
	if len(p) > MaxPacket {
		return Message{}, fmt.Errorf("osc: packet of %d bytes is over %d", len(p), MaxPacket)
	}
	addr, rest, err := readString(p)
	if err != nil {
		return Message{}, fmt.Errorf("osc: address: %w", err)
	}
	if addr == "#bundle" {
		return Message{}, ErrBundle
	}
	if !strings.HasPrefix(addr, "/") {
		return Message{}, fmt.Errorf("osc: address %q does not start with /", addr)
	}
	m := Message{Address: addr}
	if len(rest) == 0 {
		return m, nil // OSC 1.0 allows a message without a type tag string
	}
	tags, rest, err := readString(rest)
	if err != nil {
		return Message{}, fmt.Errorf("osc: type tags: %w", err)
	}
	if !strings.HasPrefix(tags, ",") {
		return Message{}, fmt.Errorf("osc: type tags %q do not start with a comma", tags)
	}
	tags = tags[1:]
	if len(tags) > MaxArgs {
		return Message{}, fmt.Errorf("osc: %d arguments, at most %d", len(tags), MaxArgs)
	}
	for _, t := range tags {
		var v any
		switch t {
		case 'i':
			if len(rest) < 4 {
				return Message{}, errors.New("osc: int32 argument is cut short")
			}
			v, rest = int32(binary.BigEndian.Uint32(rest)), rest[4:]
		case 'f':
			if len(rest) < 4 {
				return Message{}, errors.New("osc: float32 argument is cut short")
			}
			v, rest = math.Float32frombits(binary.BigEndian.Uint32(rest)), rest[4:]
		case 's':
			var s string
			if s, rest, err = readString(rest); err != nil {
				return Message{}, fmt.Errorf("osc: string argument: %w", err)
			}
			v = s
		case 'T':
			v = true
		case 'F':
			v = false
		default:
			return Message{}, fmt.Errorf("osc: type tag %q is not one of i f s T F", t)
		}
		m.Args = append(m.Args, v)
	}
	if len(rest) != 0 {
		return Message{}, fmt.Errorf("osc: %d bytes after the last argument", len(rest))
	}
	return m, nil
}

// readString reads a NUL-terminated string padded with NULs to a multiple
// of four bytes, and returns what follows.
func readString(p []byte) (string, []byte, error) {
	n := -1
	for i, b := range p {
		if b == 0 {
			n = i
			break
		}
	}
	if n < 0 {
		return "", nil, errors.New("no terminating NUL")
	}
	end := padded(n + 1)
	if end > len(p) {
		return "", nil, errors.New("padding is cut short")
	}
	for _, b := range p[n:end] {
		if b != 0 {
			return "", nil, errors.New("padding is not NUL")
		}
	}
	return string(p[:n]), p[end:], nil
}

func padded(n int) int { return (n + 3) &^ 3 }

// Encode writes m as an OSC packet. Arguments may be int32, int, float32,
// float64, string or bool; a string may not hold a NUL.
func Encode(m Message) ([]byte, error) {
	if !strings.HasPrefix(m.Address, "/") || strings.ContainsRune(m.Address, 0) {
		return nil, fmt.Errorf("osc: address %q must start with / and hold no NUL", m.Address)
	}
	if len(m.Args) > MaxArgs {
		return nil, fmt.Errorf("osc: %d arguments, at most %d", len(m.Args), MaxArgs)
	}
	tags := []byte{','}
	var data []byte
	for i, a := range m.Args {
		switch v := a.(type) {
		case int32:
			tags, data = append(tags, 'i'), binary.BigEndian.AppendUint32(data, uint32(v))
		case int:
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("osc: argument %d: %d does not fit an int32", i, v)
			}
			tags, data = append(tags, 'i'), binary.BigEndian.AppendUint32(data, uint32(int32(v)))
		case float32:
			tags, data = append(tags, 'f'), binary.BigEndian.AppendUint32(data, math.Float32bits(v))
		case float64:
			tags, data = append(tags, 'f'), binary.BigEndian.AppendUint32(data, math.Float32bits(float32(v)))
		case string:
			if strings.ContainsRune(v, 0) {
				return nil, fmt.Errorf("osc: argument %d: a string may not hold a NUL", i)
			}
			tags, data = append(tags, 's'), appendString(data, v)
		case bool:
			tags = append(tags, map[bool]byte{true: 'T', false: 'F'}[v])
		default:
			return nil, fmt.Errorf("osc: argument %d: type %T is not int32, float32, string or bool", i, a)
		}
	}
	out := appendString(nil, m.Address)
	out = appendString(out, string(tags))
	out = append(out, data...)
	if len(out) > MaxPacket {
		return nil, fmt.Errorf("osc: message of %d bytes is over %d", len(out), MaxPacket)
	}
	return out, nil
}

func appendString(p []byte, s string) []byte {
	p = append(p, s...)
	return append(p, make([]byte, padded(len(s)+1)-len(s))...)
}
