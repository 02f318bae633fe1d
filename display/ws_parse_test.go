package display

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

var parseCases = []string{
	`{"type":"time","t0":1744599990000.125}`,
	` { "type" : "time" , "t0" : -1.5e3 } `,
	`{"type":"hello","role":"stage","name":"Màn LED chính"}`,
	`{"type":"hello","role":"button","name":"Nút \"1\" \\ \/ \b\f\n\r\t","button":"nut-1","key":"k"}`,
	`{"type":"hello","name":"\u004d\u00e0n \ud83d\ude80 \ud800 x"}`,
	`{"type":"command","ref":"r1","command":{"type":"message","text":"a } ] \" {","seq":3}}`,
	`{"type":"command","command":[1,{"a":[2,"]"]}],"ref":"r2"}`,
	`{"type":"report","offset":-10003.2,"rtt":4.1,"uncertainty":2.3,"fireId":"f57","startedAt":1744600123457.3}`,
	`{"type":"press","pressId":"x","pressedAt":null,"extra":{"deep":[true,false,null,1e2]},"more":"s"}`,
	`{"type":"time","t0":1,"t0":2}`,
	`{}`,
	`{"type":null,"t0":null}`,
	"{\"type\":\"bad \xff\xfe utf8\"}",
	`{"x":0,"type":"time","t0":0}`,
}

// TestParseInboundAgreesWithEncodingJSON: the flat decoder reads every
// field as encoding/json does.
func TestParseInboundAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range parseCases {
		var got inbound
		if err := parseInbound([]byte(in), &got); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		want, err := reference([]byte(in))
		if err != nil {
			t.Fatalf("%s: encoding/json: %v", in, err)
		}
		if !sameInbound(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, got, want)
		}
	}
}

func TestParseInboundRefuses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"type":"time",`, "not valid JSON"},
		{`garbage`, "not valid JSON"},
		{`[1,2]`, "not a JSON object"},
		{`"time"`, "not a JSON object"},
		{`{"type":1}`, "type must be a string"},
		{`{"type":"time","t0":"12"}`, "t0 must be a number"},
		{`{"type":"time","t0":true}`, "t0 must be a number"},
		{`{"type":"time","t0":1e999}`, "t0 must be a number within range"},
		{`{"role":["stage"]}`, "role must be a string"},
	} {
		var m inbound
		err := parseInbound([]byte(tc.in), &m)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
			t.Errorf("%s: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// reference decodes a message with encoding/json, but with the exact key
// names (encoding/json alone would also take "NAME" for "name").
func reference(data []byte) (inbound, error) {
	var m inbound
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return m, err
	}
	if fields == nil {
		return m, errNotObject
	}
	targets := map[string]any{
		"type": &m.Type, "ref": &m.Ref, "role": &m.Role, "name": &m.Name, "token": &m.Token, "key": &m.Key,
		"button": &m.Button, "command": &m.Command, "pressId": &m.PressID, "pressedAt": &m.PressedAt, "t0": &m.T0,
		"offset": &m.Offset, "rtt": &m.RTT, "uncertainty": &m.Uncertainty, "fireId": &m.FireID, "startedAt": &m.StartedAt,
	}
	for k, raw := range fields {
		if target, ok := targets[k]; ok {
			if err := json.Unmarshal(raw, target); err != nil {
				return m, err
			}
		}
	}
	return m, nil
}

// sameInbound compares two decodings; raw commands are compared as JSON.
func sameInbound(a, b inbound) bool {
	ca, cb := a.Command, b.Command
	a.Command, b.Command = nil, nil
	if !reflect.DeepEqual(a, b) {
		return false
	}
	if len(ca) == 0 || len(cb) == 0 {
		return len(ca) == len(cb) || string(cb) == "null" && len(ca) == 4
	}
	var x, y any
	return json.Unmarshal(ca, &x) == nil && json.Unmarshal(cb, &y) == nil && reflect.DeepEqual(x, y)
}

// FuzzParseInbound: on any input the flat decoder never panics, and on an
// object that encoding/json decodes it agrees with it.
func FuzzParseInbound(f *testing.F) {
	for _, in := range parseCases {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var got inbound
		err := parseInbound([]byte(in), &got)
		want, rerr := reference([]byte(in))
		if rerr != nil {
			if err == nil && json.Valid([]byte(in)) && bytes.HasPrefix(bytes.TrimSpace([]byte(in)), []byte("{")) {
				var ue *json.UnmarshalTypeError
				if !errors.As(rerr, &ue) {
					t.Fatalf("%q: encoding/json refuses it (%v), ours accepts it", in, rerr)
				}
				t.Fatalf("%q: a field of the wrong type was accepted (%v)", in, rerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: encoding/json accepts it, ours says %v", in, err)
		}
		if !sameInbound(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", in, got, want)
		}
	})
}

func BenchmarkParseTime(b *testing.B) {
	msg := []byte(`{"type":"time","t0":1744599990000.125}`)
	b.ReportAllocs()
	for b.Loop() {
		var m inbound
		if err := parseInbound(msg, &m); err != nil {
			b.Fatal(err)
		}
	}
}
