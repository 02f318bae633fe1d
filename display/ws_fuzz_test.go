package display

import (
	"errors"
	"math"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// FuzzSocketMessage feeds the websocket message parser what a device may
// send: the envelope, then the body of its type with the checks that need
// no socket (a hello's credential and text, a report's figures, a
// command's rules). Every input is refused with a code a device is told,
// or decodes to valid, bounded values. CI runs it for a bounded time
// (.ci/test); seeds are in testdata/fuzz/FuzzSocketMessage.
func FuzzSocketMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","role":"stage","name":"Màn LED chính"}`,
		`{"type":"hello","role":"button","name":"Nút 1","button":"nut-1","key":"button-secret"}`,
		`{"type":"time","ref":"t1","t0":1744600000000.5}`,
		`{"type":"report","offset":-10003.2,"rtt":4.1,"uncertainty":2.3}`,
		`{"type":"report","fireId":"f57","startedAt":1744600123456.4}`,
		`{"type":"command","ref":"r17","command":{"type":"next","id":"mc-7f3a-17","seq":41}}`,
		`{"type":"press","ref":"p3","pressId":"nut-1-1744600000123-3","pressedAt":1744600000123}`,
		`{"type":"message","TYPE":"next","ref":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	auth := testAuth(f, testToken, testKey)
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := decodeEnvelope(data)
		if !utf8.ValidString(env.Ref) || len(env.Ref) > maxRefLen {
			t.Fatalf("ref %q echoed back", env.Ref)
		}
		if err != nil {
			toldAs(t, err, controller.EINVALID)
			return
		}
		if env.Type == "" || !utf8.ValidString(env.Type) {
			t.Fatalf("type %q accepted", env.Type)
		}
		switch env.Type {
		case protocol.TypeHello:
			var m protocol.HelloMsg
			if err := decodeBody(data, &m); err != nil {
				toldAs(t, err, controller.EINVALID)
				return
			}
			c := &client{hub: &Hub{auth: auth}, addr: "192.0.2.7"}
			if err := c.checkHello(&m); err != nil {
				toldAs(t, err, controller.EINVALID, EUNAUTHORIZED, controller.EFORBIDDEN, ERATELIMITED)
				return
			}
			if utf8.RuneCountInString(m.Name) > controller.MaxTitleLen || hasControl(m.Name) || hasControl(m.Button) {
				t.Fatalf("hello accepted with name %q, button %q", m.Name, m.Button)
			}
		case protocol.TypeReport:
			var m protocol.ReportMsg
			if err := decodeBody(data, &m); err != nil {
				toldAs(t, err, controller.EINVALID)
				return
			}
			hl, err := reportHealth(m)
			if err != nil {
				toldAs(t, err, controller.EINVALID)
				return
			}
			if hl.known && (math.Abs(hl.offset) > maxOffsetMs || hl.rtt < 0 || hl.rtt > maxRTTMs || math.IsNaN(hl.uncertainty)) {
				t.Fatalf("report accepted with %+v", hl)
			}
		case protocol.TypeCommand:
			var m protocol.CommandMsg
			if err := decodeBody(data, &m); err != nil {
				toldAs(t, err, controller.EINVALID)
				return
			}
			var cmd controller.Command
			if err := controller.DecodeJSON(m.Command, &cmd); err != nil {
				toldAs(t, within("command", err), controller.EINVALID)
				return
			}
			if err := cmd.Normalize().Validate(); err != nil {
				toldAs(t, err, controller.EINVALID)
			}
		case protocol.TypeTime, protocol.TypePress:
			var tm protocol.TimeMsg
			var pm protocol.PressMsg
			if err := decodeBody(data, &tm); err != nil && env.Type == protocol.TypeTime {
				toldAs(t, err, controller.EINVALID)
			}
			if err := decodeBody(data, &pm); err != nil && env.Type == protocol.TypePress {
				toldAs(t, err, controller.EINVALID)
			}
		}
	})
}

// toldAs fails unless err is an *Error with one of the codes and valid
// UTF-8 text, as a device is told.
func toldAs(t *testing.T, err error, codes ...string) {
	t.Helper()
	var e *controller.Error
	if !errors.As(err, &e) {
		t.Fatalf("refused with %T %v, not an *Error", err, err)
	}
	for _, c := range codes {
		if e.Code == c {
			if !utf8.ValidString(e.Message) || !utf8.ValidString(e.Field) {
				t.Fatalf("the refusal is not valid UTF-8: %q %q", e.Field, e.Message)
			}
			return
		}
	}
	t.Fatalf("refused with code %q (%v), want one of %v", e.Code, e, codes)
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}
