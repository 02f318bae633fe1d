package osc

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// The spec's own example: /oscillator/4/frequency ,f 440.0.
var specFrequency = []byte{
	'/', 'o', 's', 'c', 'i', 'l', 'l', 'a', 't', 'o', 'r', '/', '4', '/', 'f', 'r',
	'e', 'q', 'u', 'e', 'n', 'c', 'y', 0, ',', 'f', 0, 0, 0x43, 0xdc, 0, 0,
}

func TestDecode(t *testing.T) {
	enc := func(addr string, args ...any) []byte {
		p, err := Encode(Message{Address: addr, Args: args})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		in      []byte
		want    Message
		wantErr string
	}{
		{"spec example", specFrequency, Message{"/oscillator/4/frequency", []any{float32(440)}}, ""},
		{"no args", enc("/phatdong/next"), Message{Address: "/phatdong/next"}, ""},
		{"no type tags (OSC 1.0 allows)", []byte("/a\x00\x00"), Message{Address: "/a"}, ""},
		{"int", enc("/phatdong/add-time", int32(-60)), Message{"/phatdong/add-time", []any{int32(-60)}}, ""},
		{"string utf8", enc("/phatdong/message", "Còn 2 phút"), Message{"/phatdong/message", []any{"Còn 2 phút"}}, ""},
		{"bools", enc("/x", true, false), Message{"/x", []any{true, false}}, ""},
		{"mixed", enc("/x", "abc", int32(1), float32(0.5), true), Message{"/x", []any{"abc", int32(1), float32(0.5), true}}, ""},
		{"empty", nil, Message{}, "no terminating NUL"},
		{"no slash", []byte("ab\x00\x00"), Message{}, "does not start with /"},
		{"bundle tag", append([]byte("#bundle\x00"), make([]byte, 8)...), Message{}, "bundles"},
		{"short padding", []byte("/abc\x00"), Message{}, "padding is cut short"},
		{"dirty padding", []byte("/a\x00x"), Message{}, "padding is not NUL"},
		{"tags without comma", []byte("/a\x00\x00i\x00\x00\x00"), Message{}, "comma"},
		{"unknown tag", []byte("/a\x00\x00,b\x00\x00\x00\x00\x00\x01"), Message{}, "is not one of"},
		{"cut int", []byte("/a\x00\x00,i\x00\x00\x00\x00"), Message{}, "cut short"},
		{"cut float", []byte("/a\x00\x00,f\x00\x00"), Message{}, "cut short"},
		{"trailing bytes", append(enc("/a", int32(1)), 0, 0, 0, 0), Message{}, "after the last argument"},
		{"too many args", []byte("/a\x00\x00," + strings.Repeat("T", MaxArgs+1) + "\x00\x00"), Message{}, "at most"},
		{"too big", make([]byte, MaxPacket+1), Message{}, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Decode error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Decode = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	got, err := Encode(Message{Address: "/oscillator/4/frequency", Args: []any{440.0}})
	if err != nil || !bytes.Equal(got, specFrequency) {
		t.Fatalf("Encode = %q, %v; want the spec's bytes %q", got, err, specFrequency)
	}
	bad := []struct {
		name string
		m    Message
		want string
	}{
		{"no slash", Message{Address: "x"}, "must start with /"},
		{"nul in address", Message{Address: "/a\x00"}, "NUL"},
		{"nul in string", Message{Address: "/a", Args: []any{"a\x00b"}}, "NUL"},
		{"int too big", Message{Address: "/a", Args: []any{math.MaxInt32 + 1}}, "int32"},
		{"unknown type", Message{Address: "/a", Args: []any{[]byte("x")}}, "is not"},
		{"too many", Message{Address: "/a", Args: make([]any, MaxArgs+1)}, "at most"},
		{"too big", Message{Address: "/a", Args: []any{strings.Repeat("x", MaxPacket)}}, "over"},
	}
	for _, tt := range bad {
		if _, err := Encode(tt.m); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Encode error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

// FuzzDecode checks that Decode never panics, and that what it accepts
// encodes back to the same bytes (when it had a type tag string).
func FuzzDecode(f *testing.F) {
	f.Add(specFrequency)
	for _, m := range []Message{
		{Address: "/phatdong/next"},
		{Address: "/phatdong/goto", Args: []any{"tuyen-bo"}},
		{Address: "/phatdong/blackout", Args: []any{int32(1), true, false, float32(2.5)}},
	} {
		p, _ := Encode(m)
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := Decode(p)
		if err != nil {
			return
		}
		again, err := Encode(m)
		if err != nil {
			t.Fatalf("decoded %q to %#v, which does not encode: %v", p, m, err)
		}
		back, err := Decode(again)
		if err != nil || back.Address != m.Address || len(back.Args) != len(m.Args) {
			t.Fatalf("round trip of %#v gave %#v, %v", m, back, err)
		}
		if len(m.Args) > 0 && !bytes.Equal(again, p) {
			t.Fatalf("re-encoding %q gave %q", p, again)
		}
	})
}
