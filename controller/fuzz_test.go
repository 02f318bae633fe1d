package controller

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of the inputs the server takes from outside: show files and
// commands. CI runs each for a bounded time (.ci/test); seeds are in
// testdata/fuzz/<target>/ and below.

// refusedAsInvalid fails unless err is the invalid *Error every refusal of
// bad input is.
func refusedAsInvalid(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != EINVALID {
		t.Fatalf("a bad input gave %T %v, want an invalid *Error", err, err)
	}
	if !utf8.ValidString(e.Message) || !utf8.ValidString(e.Field) {
		t.Fatalf("the refusal is not valid UTF-8: %q %q", e.Field, e.Message)
	}
}

// FuzzParseShow: any file is refused with an invalid error, or gives a
// show that encodes to a file which parses back to the same encoding.
func FuzzParseShow(f *testing.F) {
	if data, err := os.ReadFile("shows/binh-dan-hoc-vu-so.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"title":"x","segments":[]}`))
	f.Add([]byte(`{"title":"Lễ","date":"2025-02-30","segments":[{"id":"a","title":"A","kind":"speech","durationSec":60}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		show, err := ParseShow(data)
		if err != nil {
			refusedAsInvalid(t, err)
			return
		}
		out, err := show.MarshalIndent()
		if err != nil {
			t.Fatalf("an accepted show does not encode: %v", err)
		}
		again, err := ParseShow(out)
		if err != nil {
			t.Fatalf("an accepted show's own file is refused: %v\n%s", err, out)
		}
		out2, err := again.MarshalIndent()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("the show changed on a second round:\n%s\n%s", out, out2)
		}
	})
}

// FuzzDecodeCommand: any body is refused with an invalid error, or gives a
// command whose rules run without a fault and whose encoding decodes to
// the same encoding.
func FuzzDecodeCommand(f *testing.F) {
	for _, s := range []string{
		`{"type":"next"}`,
		`{"type":"goto","segment":"bam-nut-phat-dong","id":"mc-1","seq":41}`,
		`{"type":"add-time","seconds":-60}`,
		`{"type":"message","text":"Còn 2 phút","blink":true}`,
		`{"type":"blackout","on":true}`,
		`{"type":"press","button":"nut-1","name":"Nút 1","pressId":"p1","pressedAt":1744600000123}`,
		`{"type":"message","text":"hi","TYPE":"next"}`,
		`{"type":"message","text":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var cmd Command
		if err := DecodeJSON(data, &cmd); err != nil {
			refusedAsInvalid(t, err)
			return
		}
		if err := cmd.Normalize().Validate(); err != nil {
			refusedAsInvalid(t, err)
		}
		enc, err := json.Marshal(cmd)
		if err != nil {
			t.Fatalf("a decoded command does not encode: %v", err)
		}
		var again Command
		if err := DecodeJSON(enc, &again); err != nil {
			t.Fatalf("a decoded command's own encoding is refused: %v\n%s", err, enc)
		}
		if enc2, _ := json.Marshal(again); !bytes.Equal(enc, enc2) {
			t.Fatalf("the command changed on a second round:\n%s\n%s", enc, enc2)
		}
	})
}
