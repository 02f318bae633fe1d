package display

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// decodeAs decodes a message as handle does: its envelope, then its body.
func decodeAs(data string, body any) (protocol.Envelope, error) {
	env, err := decodeEnvelope([]byte(data))
	if err == nil {
		err = decodeBody([]byte(data), body)
	}
	return env, err
}

func TestDecodeMessage(t *testing.T) {
	must := func(in string, body any) protocol.Envelope {
		t.Helper()
		env, err := decodeAs(in, body)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		return env
	}
	var tm protocol.TimeMsg
	if env := must(`{"type":"time","ref":"c1","t0":1744599990000.125}`, &tm); env.Type != "time" || env.Ref != "c1" || tm.T0 != 1744599990000.125 {
		t.Errorf("time: got %+v %+v", env, tm)
	}
	var hm protocol.HelloMsg
	if must(`{"type":"hello","role":"stage","name":"Màn \u004d \ud83d\ude80","extra":{"deep":[1]}}`, &hm); hm.Role != RoleStage || hm.Name != "Màn M 🚀" {
		t.Errorf("hello: got %+v", hm)
	}
	var cm protocol.CommandMsg
	if env := must(`{"type":"command","ref":"r1","command":{"type":"message","text":"a } \" {"}}`, &cm); env.Ref != "r1" || !strings.Contains(string(cm.Command), `"text":"a } \" {"`) {
		t.Errorf("command kept raw: got %s", cm.Command)
	}
	var pm protocol.PressMsg
	if must(`{"type":"press","pressId":"x","pressedAt":null}`, &pm); pm.PressedAt != 0 || pm.PressID != "x" {
		t.Errorf("press: got %+v", pm)
	}
	tm = protocol.TimeMsg{}
	if must(`{"type":"time","T0":5}`, &tm); tm.T0 != 0 {
		t.Errorf("names must match exactly: T0 was taken for t0 (%v)", tm.T0)
	}
}

func TestDecodeMessageRefuses(t *testing.T) {
	for _, tc := range []struct {
		in, field, text string
		body            any
	}{
		{`{"type":"time",`, "", "malformed JSON", &protocol.TimeMsg{}},
		{`garbage`, "", "malformed JSON", &protocol.TimeMsg{}},
		{`[1,2]`, "", "must be a JSON object", &protocol.TimeMsg{}},
		{`"time"`, "", "must be a JSON object", &protocol.TimeMsg{}},
		{`{"type":"time","t0":1,"t0":2}`, "t0", "appears twice", &protocol.TimeMsg{}},
		{"{\"type\":\"bad \xff utf8\"}", "type", "malformed JSON", &protocol.TimeMsg{}},
		{`{"type":"time","ref":"\ud800"}`, "ref", "malformed JSON", &protocol.TimeMsg{}},
		{`{"type":1}`, "type", "must be a string", &protocol.TimeMsg{}},
		{`{"type":"time","t0":"12"}`, "t0", "must be a number", &protocol.TimeMsg{}},
		{`{"type":"time","t0":true}`, "t0", "must be a number", &protocol.TimeMsg{}},
		{`{"role":["stage"],"type":"hello"}`, "role", "must be a string", &protocol.HelloMsg{}},
		{`{"type":"press","pressId":"p","pressedAt":1.5}`, "pressedAt", "whole number", &protocol.PressMsg{}},
		{`{"type":"report","fps":60,"medianMs":16,"maxGapMs":20,"quality":2.5}`, "quality", "whole number", &protocol.ReportMsg{}},
		{`{"ref":"x"}`, "type", "needs a type", &protocol.TimeMsg{}},
		{`{"type":"time","ref":"` + strings.Repeat("r", maxRefLen+1) + `"}`, "ref", "at most", &protocol.TimeMsg{}},
	} {
		_, err := decodeAs(tc.in, tc.body)
		de, ok := err.(*controller.Error)
		if !ok || de.Code != controller.EINVALID || de.Field != tc.field || !strings.Contains(de.Message, tc.text) {
			t.Errorf("%.40s: error %#v, want field %q and %q", tc.in, err, tc.field, tc.text)
		}
	}
}

// TestDecodeKeepsRef: a bad member after a good ref still lets the error
// name the message.
func TestDecodeKeepsRef(t *testing.T) {
	env, err := decodeAs(`{"type":"time","ref":"k9","t0":"soon"}`, &protocol.TimeMsg{})
	if err == nil || env.Ref != "k9" {
		t.Fatalf("ref %q, error %v; want k9 and an error", env.Ref, err)
	}
}
