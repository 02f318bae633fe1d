package controller_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

// showWithCues is a one-segment show whose launch lists cues (JSON).
func showWithCues(cues string) string {
	return `{"format":"phatdong-show","version":1,"title":"Lễ","launch":{"cues":[` + cues +
		`]},"segments":[{"id":"a","title":"Một","kind":"speech","durationSec":60}]}`
}

func TestCuesValidate(t *testing.T) {
	many := strings.TrimSuffix(strings.Repeat(`{"kind":"osc","target":"10.0.0.1:53000","address":"/go"},`, controller.MaxCues+1), ",")
	tests := []struct {
		name, cues, field string
	}{
		{"unknown kind", `{"kind":"dmx","target":"x"}`, "launch.cues[0].kind"},
		{"osc without port", `{"kind":"osc","target":"10.0.0.1","address":"/go"}`, "launch.cues[0].target"},
		{"osc port 0", `{"kind":"osc","target":"10.0.0.1:0","address":"/go"}`, "launch.cues[0].target"},
		{"osc without host", `{"kind":"osc","target":":53000","address":"/go"}`, "launch.cues[0].target"},
		{"osc address without slash", `{"kind":"osc","target":"10.0.0.1:53000","address":"go"}`, "launch.cues[0].address"},
		{"osc address with space", `{"kind":"osc","target":"10.0.0.1:53000","address":"/cue/1 go"}`, "launch.cues[0].address"},
		{"osc with a body", `{"kind":"osc","target":"10.0.0.1:53000","address":"/go","body":"x"}`, "launch.cues[0].method"},
		{"osc arg object", `{"kind":"osc","target":"10.0.0.1:53000","address":"/go","args":[{"a":1}]}`, "launch.cues[0].args[0]"},
		{"osc arg other object", `{"kind":"osc","target":"10.0.0.1:53000","address":"/go","args":[{"int":1}]}`, "launch.cues[0].args[0]"},
		{"osc arg null", `{"kind":"osc","target":"10.0.0.1:53000","address":"/go","args":[null]}`, "launch.cues[0].args[0]"},
		{"osc arg too big", `{"kind":"osc","target":"10.0.0.1:53000","address":"/go","args":[3000000000]}`, "launch.cues[0].args[0]"},
		{"http not a URL", `{"kind":"http","target":"companion:8000/press"}`, "launch.cues[0].target"},
		{"http ftp", `{"kind":"http","target":"ftp://10.0.0.2/x"}`, "launch.cues[0].target"},
		{"http password", `{"kind":"http","target":"http://u:p@10.0.0.2/x"}`, "launch.cues[0].target"},
		{"http DELETE", `{"kind":"http","target":"http://10.0.0.2/x","method":"DELETE"}`, "launch.cues[0].method"},
		{"http GET with body", `{"kind":"http","target":"http://10.0.0.2/x","method":"GET","body":"x"}`, "launch.cues[0].body"},
		{"http with address", `{"kind":"http","target":"http://10.0.0.2/x","address":"/go"}`, "launch.cues[0].address"},
		{"http body too big", `{"kind":"http","target":"http://10.0.0.2/x","body":"` + strings.Repeat("x", controller.MaxCueBodySize+1) + `"}`, "launch.cues[0].body"},
		{"negative delay", `{"kind":"http","target":"http://10.0.0.2/x","delayMs":-1}`, "launch.cues[0].delayMs"},
		{"delay too long", `{"kind":"http","target":"http://10.0.0.2/x","delayMs":60001}`, "launch.cues[0].delayMs"},
		{"unknown member", `{"kind":"http","target":"http://10.0.0.2/x","delay":5}`, ""},
		{"too many", many, "launch.cues"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := controller.ParseShow([]byte(showWithCues(tc.cues)))
			if controller.ErrorCode(err) != controller.EINVALID {
				t.Fatalf("err = %v, want invalid", err)
			}
			if e, _ := err.(*controller.Error); tc.field != "" && e.Field != tc.field {
				t.Fatalf("field = %q, want %q (%v)", e.Field, tc.field, err)
			}
		})
	}
}

func TestCuesParse(t *testing.T) {
	show, err := controller.ParseShow([]byte(showWithCues(
		`{"kind":"osc","target":"192.168.1.50:53000","address":"/cue/7/go","args":["phát động",1,0.5,2e0,true,false,{"float":3}]},` +
			`{"kind":"http","target":"http://10.0.0.2:8000/api/location/1/0/1/press","delayMs":1500,"skipRehearsal":true},` +
			`{"kind":"http","target":"https://confetti.local/fire","method":"put","body":"{\"on\":true}"}`)))
	if err != nil {
		t.Fatal(err)
	}
	cues := show.Launch.Cues
	if len(cues) != 3 || cues[1].Method != "POST" || cues[2].Method != "PUT" || !cues[1].SkipRehearsal || cues[1].DelayMs != 1500 {
		t.Fatalf("cues = %+v", cues)
	}
	args, err := cues[0].OSCArgs()
	want := []any{"phát động", int32(1), float32(0.5), float32(2), true, false, float32(3)}
	if err != nil || !reflect.DeepEqual(args, want) {
		t.Fatalf("OSCArgs = %#v, %v; want %#v", args, err, want)
	}
	// A clone shares nothing with the show.
	c := show.Clone()
	c.Launch.Cues[0].Args[0][1] = 'X'
	c.Launch.Cues[1].Target = "changed"
	if a, _ := show.Launch.Cues[0].OSCArgs(); a[0] != "phát động" || show.Launch.Cues[1].Target == "changed" {
		t.Fatal("a clone's cues are the show's")
	}
	// The file round-trips with its cues.
	data, err := show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	again, err := controller.ParseShow(data)
	if err != nil || len(again.Launch.Cues) != len(cues) {
		t.Fatalf("round trip: %v\n%s", err, data)
	}
	for i, c := range again.Launch.Cues {
		got, _ := c.OSCArgs()
		want, _ := cues[i].OSCArgs()
		c.Args, cues[i].Args = nil, nil
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(c, cues[i]) {
			t.Fatalf("round trip of cue %d: %+v %v, want %+v %v", i, c, got, cues[i], want)
		}
	}
}
