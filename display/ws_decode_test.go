package display

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

func TestDecodeMessage(t *testing.T) {
	m := func(in string) inbound {
		t.Helper()
		var v inbound
		if err := decodeMessage([]byte(in), &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		return v
	}
	if v := m(`{"type":"time","t0":1744599990000.125}`); v.Type != "time" || v.T0 == nil || *v.T0 != 1744599990000.125 {
		t.Errorf("time: got %+v", v)
	}
	if v := m(`{"type":"hello","role":"stage","name":"Màn \u004d \ud83d\ude80","extra":{"deep":[1]}}`); v.Role != RoleStage || v.Name != "Màn M 🚀" {
		t.Errorf("hello: got %+v", v)
	}
	if v := m(`{"type":"command","ref":"r1","command":{"type":"message","text":"a } \" {"}}`); v.Ref != "r1" || !strings.Contains(string(v.Command), `"text":"a } \" {"`) {
		t.Errorf("command kept raw: got %s", v.Command)
	}
	if v := m(`{"type":"press","pressId":"x","pressedAt":null}`); v.PressedAt != nil || v.PressID != "x" {
		t.Errorf("press: got %+v", v)
	}
	if v := m(`{"type":"time","T0":5}`); v.T0 != nil {
		t.Errorf("names must match exactly: T0 was taken for t0 (%v)", *v.T0)
	}
}

func TestDecodeMessageRefuses(t *testing.T) {
	for _, tc := range []struct{ in, field, text string }{
		{`{"type":"time",`, "", "not valid JSON"},
		{`garbage`, "", "not valid JSON"},
		{`[1,2]`, "", "not a JSON object"},
		{`"time"`, "", "not a JSON object"},
		{`{"type":"time","t0":1,"t0":2}`, "", "not valid JSON"},
		{"{\"type\":\"bad \xff utf8\"}", "", "not valid JSON"},
		{`{"type":1}`, "type", "must be a string"},
		{`{"type":"time","t0":"12"}`, "t0", "must be a number"},
		{`{"type":"time","t0":true}`, "t0", "must be a number"},
		{`{"role":["stage"],"type":"hello"}`, "role", "must be a string"},
		{`{"ref":"x"}`, "type", "needs a type"},
		{`{"type":"time","ref":"` + strings.Repeat("r", maxRefLen+1) + `"}`, "ref", "at most"},
	} {
		var m inbound
		err := decodeMessage([]byte(tc.in), &m)
		de, ok := err.(*controller.Error)
		if !ok || de.Code != controller.EINVALID || de.Field != tc.field || !strings.Contains(de.Message, tc.text) {
			t.Errorf("%.40s: error %#v, want field %q and %q", tc.in, err, tc.field, tc.text)
		}
	}
}
