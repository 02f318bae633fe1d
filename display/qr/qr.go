// Package qr draws links as QR codes: a PNG for a page, half-block text
// for a terminal. Encoding is github.com/skip2/go-qrcode's; this package
// only chooses the level and the drawing.
package qr

import (
	"errors"
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// MaxTextLen bounds what is encoded: a page link with its credential is
// well under it, and a longer text makes a code too dense to scan from a
// screen.
const MaxTextLen = 512

// Level is the error correction used: Medium survives a glare or a
// scratched screen and keeps a credential link at version 4 or 5.
const Level = qrcode.Medium

// Theme is the terminal a code is printed for.
type Theme string

// Themes of a terminal: light text on a dark background, or the reverse.
const (
	Dark  Theme = "dark"
	Light Theme = "light"
	Off   Theme = "off" // print no code
)

// ParseTheme reads a --qr value: dark, light or off.
func ParseTheme(s string) (Theme, error) {
	switch t := Theme(strings.ToLower(strings.TrimSpace(s))); t {
	case Dark, Light, Off:
		return t, nil
	}
	return "", fmt.Errorf("qr: theme %q: use dark, light or off", s)
}

// encode builds the code of text, with its quiet zone.
func encode(text string) (*qrcode.QRCode, error) {
	if text == "" {
		return nil, errors.New("qr: nothing to encode")
	}
	if len(text) > MaxTextLen {
		return nil, fmt.Errorf("qr: text of %d bytes, at most %d", len(text), MaxTextLen)
	}
	q, err := qrcode.New(text, Level)
	if err != nil {
		return nil, fmt.Errorf("qr: encode: %w", err)
	}
	return q, nil
}

// Bitmap is the code of text as modules, true for dark, with the quiet
// zone of four light modules around it.
func Bitmap(text string) ([][]bool, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}

// PNG draws the code of text as a black on white PNG about size pixels
// wide (a whole number of pixels per module, never less than one).
func PNG(text string, size int) ([]byte, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	b, err := q.PNG(size)
	if err != nil {
		return nil, fmt.Errorf("qr: png: %w", err)
	}
	return b, nil
}
