package display

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// fill sets every field reachable from v to a distinct non-zero value:
// strings, numbers and bools, one element in every slice and map, every
// pointer allocated. A field the conversion forgets then shows in the JSON.
func fill(v reflect.Value, n *int) {
	*n++
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		v.SetBytes([]byte(strconv.Itoa(*n))) // a raw value must be JSON
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n))
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		v.SetUint(uint64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), n)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	default:
		panic("fill: no rule for " + v.Kind().String())
	}
}

func filled[T any]() T {
	var v T
	n := 0
	fill(reflect.ValueOf(&v).Elem(), &n)
	return v
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(b)
}

// TestWireKeepsEveryField fills every field of each domain type the wire
// carries and requires the converted value to encode to the same JSON: a
// field forgotten in wire.go, or missing from package protocol, fails it.
func TestWireKeepsEveryField(t *testing.T) {
	view := filled[controller.View]()
	show := filled[controller.Show]()
	answer := filled[controller.Answer]()
	tests := []struct {
		name         string
		domain, wire any
	}{
		{"View", view, wireView(view)},
		{"Show", &show, wireShow(&show)},
		{"Answer", answer, wireAnswer(answer)},
		{"Error", answer.Error, wireError(answer.Error)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, w := mustMarshal(t, tt.domain), mustMarshal(t, tt.wire)
			if d != w {
				t.Errorf("the wire's JSON differs from the domain's:\ndomain %s\nwire   %s", d, w)
			}
		})
	}
}

// TestWireEmptyValues: nil stays null and empty stays empty, as before.
func TestWireEmptyValues(t *testing.T) {
	tests := []struct {
		name         string
		domain, wire any
	}{
		{"zero View", controller.View{}, wireView(controller.View{})},
		{"nil Show", (*controller.Show)(nil), wireShow(nil)},
		{"empty Show", &controller.Show{Segments: []controller.Segment{}}, wireShow(&controller.Show{Segments: []controller.Segment{}})},
		{"zero Answer", controller.Answer{}, wireAnswer(controller.Answer{})},
		{"nil Error", (*controller.Error)(nil), wireError(nil)},
		{"new state", controller.Snapshot{Show: defaultShow(t), State: controller.NewState(1)}.View(),
			wireView(controller.Snapshot{Show: defaultShow(t), State: controller.NewState(1)}.View())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d, w := mustMarshal(t, tt.domain), mustMarshal(t, tt.wire); d != w {
				t.Errorf("domain %s\nwire   %s", d, w)
			}
		})
	}
}

func defaultShow(t *testing.T) *controller.Show {
	t.Helper()
	sh, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// TestWireMessagesUnchanged encodes the state and show messages of the
// default show in the middle of a rehearsal the way the server did before
// package protocol (domain values straight into the message) and the way
// it does now, and requires the same bytes: static/js reads them.
func TestWireMessagesUnchanged(t *testing.T) {
	sh := defaultShow(t)
	st := controller.NewState(3)
	st.Seq, st.Current, st.Rehearsal = 42, 5, true
	st.Timer = controller.Timer{Phase: controller.TimerRunning, StartedAt: 1744599990000, PausedMs: 1500, AddedMs: 60000, DurationMs: 600000}
	st.Message = controller.Message{Text: "Còn 2 phút", Blink: true, At: 1744599999000}
	st.Launch = controller.Launch{Phase: controller.LaunchFired, ArmedAt: 1744600120000, Required: 2, WindowMs: 5000,
		Presses: []controller.Press{{Button: "nut-1", Name: "Nút 1", PressID: "nut-1-1", At: 1744600123000}, {Button: "nut-2", PressID: "nut-2-1", At: 1744600123100}},
		FireID:  "f42", FiredAt: 1744600123206, FireAt: 1744600123456, Source: "button:nut-2"}
	st.Runs = map[string]controller.Run{sh.Segments[0].ID: {StartedAt: 1744599000000, EndedAt: 1744599600000, ElapsedMs: 600000, PlannedMs: 900000}}
	snap := controller.Snapshot{Show: sh, State: st}

	type oldState struct {
		Type       string          `json:"type"`
		ServerTime float64         `json:"serverTime"`
		State      controller.View `json:"state"`
	}
	type oldShow struct {
		Type    string           `json:"type"`
		ShowRev uint64           `json:"showRev"`
		Show    *controller.Show `json:"show"`
	}
	tests := []struct {
		name     string
		old, new any
	}{
		{"state", oldState{"state", 1744600000001.25, snap.View()},
			protocol.StateMsg{Type: protocol.TypeState, ServerTime: 1744600000001.25, State: wireView(snap.View())}},
		{"show", oldShow{"show", 3, sh}, protocol.ShowMsg{Type: protocol.TypeShow, ShowRev: 3, Show: wireShow(sh)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, n := mustMarshal(t, tt.old), mustMarshal(t, tt.new)
			if o != n {
				t.Errorf("the message changed:\nbefore %s\nnow    %s", o, n)
			}
		})
	}
}

// TestWireCodes: the domain's codes, outcomes and phases are the wire's
// (the transport's own codes are protocol's by definition, listed to keep
// the table whole).
func TestWireCodes(t *testing.T) {
	tests := []struct{ domain, wire string }{
		{controller.EINVALID, protocol.CodeInvalid},
		{controller.ENOTFOUND, protocol.CodeNotFound},
		{controller.ECONFLICT, protocol.CodeConflict},
		{controller.ENOTARMED, protocol.CodeNotArmed},
		{controller.EDUPLICATE, protocol.CodeDuplicate},
		{EUNAUTHORIZED, protocol.CodeUnauthorized},
		{controller.EFORBIDDEN, protocol.CodeForbidden},
		{ETOOLARGE, protocol.CodeTooLarge},
		{ERATELIMITED, protocol.CodeRateLimited},
		{controller.EINTERNAL, protocol.CodeInternal},
		{EUNAVAILABLE, protocol.CodeUnavailable},
		{controller.ENOTPRIMARY, protocol.CodeNotPrimary},
		{controller.OutcomeCounted, protocol.OutcomeCounted},
		{controller.OutcomeFired, protocol.OutcomeFired},
		{string(controller.LaunchIdle), string(protocol.LaunchIdle)},
		{string(controller.LaunchArmed), string(protocol.LaunchArmed)},
		{string(controller.LaunchFired), string(protocol.LaunchFired)},
		{string(controller.TimerReady), string(protocol.TimerReady)},
		{string(controller.TimerRunning), string(protocol.TimerRunning)},
		{string(controller.TimerPaused), string(protocol.TimerPaused)},
		{string(controller.TimerDone), string(protocol.TimerDone)},
	}
	for _, tt := range tests {
		if tt.domain != tt.wire {
			t.Errorf("domain %q, wire %q", tt.domain, tt.wire)
		}
	}
}
