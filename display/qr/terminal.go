package qr

import (
	"fmt"
	"strings"
)

// Half blocks: each character of the text is one module wide and two
// modules high, its upper and lower halves drawn (inked) or not.
const (
	inkBoth  = '█'
	inkUpper = '▀'
	inkLower = '▄'
	inkNone  = ' '
)

// Terminal draws the code of text in half-block characters, two module
// rows a line, for a terminal of the theme. On a dark terminal the ink
// (the terminal's light foreground) draws the light modules, on a light
// one the dark modules, so the code reads dark on light on both. Every
// line has the code's full width (trailing spaces kept) and ends in a
// newline.
func Terminal(text string, theme Theme) (string, error) {
	if theme != Dark && theme != Light {
		return "", fmt.Errorf("qr: terminal theme %q: use dark or light", theme)
	}
	bits, err := Bitmap(text)
	if err != nil {
		return "", err
	}
	return halfBlocks(bits, theme == Dark), nil
}

// halfBlocks draws bits; invert inks the light modules instead of the
// dark ones. An odd last row has a light row below it.
func halfBlocks(bits [][]bool, invert bool) string {
	var b strings.Builder
	ink := func(y, x int) bool {
		dark := y < len(bits) && bits[y][x]
		return dark != invert
	}
	for y := 0; y < len(bits); y += 2 {
		for x := range bits[y] {
			up, down := ink(y, x), ink(y+1, x)
			switch {
			case up && down:
				b.WriteRune(inkBoth)
			case up:
				b.WriteRune(inkUpper)
			case down:
				b.WriteRune(inkLower)
			default:
				b.WriteRune(inkNone)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
