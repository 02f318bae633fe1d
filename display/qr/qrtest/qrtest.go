// Package qrtest reads QR codes back for tests: from a PNG, an image, or
// the half-block text package qr prints in a terminal. Decoding is
// github.com/makiuchi-d/gozxing's, a decoder independent of the encoder.
package qrtest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// DecodeImage reads the one QR code in img.
func DecodeImage(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("qrtest: bitmap: %w", err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		// Not a pure code (a screenshot): let the detector find it.
		res, err = zxqr.NewQRCodeReader().Decode(bmp, nil)
	}
	if err != nil {
		return "", fmt.Errorf("qrtest: decode: %w", err)
	}
	return res.GetText(), nil
}

// DecodePNG reads the one QR code in a PNG.
func DecodePNG(b []byte) (string, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("qrtest: png: %w", err)
	}
	return DecodeImage(img)
}

// DecodeTerminal reads a code printed in half-block characters for a
// dark (dark true) or light terminal: it draws the text back into an
// image, scale pixels a module, and decodes that.
func DecodeTerminal(text string, dark bool) (string, error) {
	img, err := TerminalImage(text, dark, 4)
	if err != nil {
		return "", err
	}
	return DecodeImage(img)
}

// TerminalImage draws half-block text as the terminal shows it, dark
// modules black, with a light margin of four modules.
func TerminalImage(text string, dark bool, scale int) (image.Image, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	width := 0
	for _, l := range lines {
		width = max(width, len([]rune(l)))
	}
	if width == 0 {
		return nil, errors.New("qrtest: no code in the text")
	}
	const margin = 4
	w, h := width+2*margin, 2*len(lines)+2*margin
	img := image.NewGray(image.Rect(0, 0, w*scale, h*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	set := func(mx, my int) {
		for dy := range scale {
			for dx := range scale {
				img.SetGray((mx+margin)*scale+dx, (my+margin)*scale+dy, color.Gray{})
			}
		}
	}
	for row, l := range lines {
		for x, r := range []rune(l) {
			var up, down bool
			switch r {
			case '█':
				up, down = true, true
			case '▀':
				up = true
			case '▄':
				down = true
			case ' ':
			default:
				return nil, fmt.Errorf("qrtest: line %d: %q is no half block", row+1, r)
			}
			// Ink is dark on a light terminal, light on a dark one.
			if up != dark {
				set(x, 2*row)
			}
			if down != dark {
				set(x, 2*row+1)
			}
		}
		// A line shorter than the widest (trailing spaces trimmed) has no
		// ink to its end: dark modules on a dark terminal.
		if dark {
			for x := len([]rune(l)); x < width; x++ {
				set(x, 2*row)
				set(x, 2*row+1)
			}
		}
	}
	return img, nil
}
