package qr_test

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/display/qr"
	"github.com/phatdong/phatdong/display/qr/qrtest"
)

const link = "http://192.168.1.10:8080/stage?name=M%C3%A0n+LED#token=Zx3-abcdefghijklmnopqrstuv"

func TestPNGDecodesToTheLink(t *testing.T) {
	b, err := qr.PNG(link, 256)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrtest.DecodePNG(b)
	if err != nil {
		t.Fatal(err)
	}
	if got != link {
		t.Fatalf("decoded %q, want %q", got, link)
	}
}

func TestTerminalDecodesToTheLinkOnBothThemes(t *testing.T) {
	for _, theme := range []qr.Theme{qr.Dark, qr.Light} {
		t.Run(string(theme), func(t *testing.T) {
			text, err := qr.Terminal(link, theme)
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsFunc(text, func(r rune) bool { return !strings.ContainsRune("█▀▄ \n", r) }) {
				t.Fatalf("not only half blocks:\n%s", text)
			}
			got, err := qrtest.DecodeTerminal(text, theme == qr.Dark)
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			if got != link {
				t.Fatalf("decoded %q, want %q", got, link)
			}
			// The wrong theme reads as the negative: no code.
			if got, err := qrtest.DecodeTerminal(text, theme != qr.Dark); err == nil && got == link {
				t.Fatalf("read on the wrong theme too")
			}
		})
	}
}

func TestTerminalLinesHaveTheCodesWidth(t *testing.T) {
	bits, err := qr.Bitmap(link)
	if err != nil {
		t.Fatal(err)
	}
	text, err := qr.Terminal(link, qr.Light)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != (len(bits)+1)/2 {
		t.Fatalf("%d lines for %d module rows", len(lines), len(bits))
	}
	for i, l := range lines {
		if n := len([]rune(l)); n != len(bits) {
			t.Fatalf("line %d is %d wide, want %d", i, n, len(bits))
		}
	}
}

func TestBadInputIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		theme      qr.Theme
	}{
		{"empty", "", qr.Dark},
		{"too long", strings.Repeat("a", qr.MaxTextLen+1), qr.Dark},
		{"bad theme", link, qr.Theme("blue")},
		{"off draws nothing", link, qr.Off},
	} {
		if _, err := qr.Terminal(tc.text, tc.theme); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := qr.PNG("", 100); err == nil {
		t.Error("empty PNG: no error")
	}
}

func TestParseTheme(t *testing.T) {
	for in, want := range map[string]qr.Theme{"dark": qr.Dark, " Light ": qr.Light, "off": qr.Off} {
		if got, err := qr.ParseTheme(in); err != nil || got != want {
			t.Errorf("ParseTheme(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := qr.ParseTheme("auto"); err == nil {
		t.Error("auto: no error")
	}
}
