package display_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

func TestCommandErrors(t *testing.T) {
	tests := []struct {
		name   string
		setup  []string // commands accepted first
		req    request
		status int
		code   string
		field  string
		inMsg  string
	}{
		{name: "malformed JSON", req: request{body: `{"type":"next"`},
			status: 400, code: "invalid", inMsg: "malformed JSON"},
		{name: "not an object", req: request{body: `[1,2]`},
			status: 400, code: "invalid", inMsg: "object"},
		{name: "empty body", req: request{body: ``},
			status: 400, code: "invalid", inMsg: "empty"},
		{name: "wrong type of a field", req: request{body: `{"type":"add-time","seconds":"60"}`},
			status: 400, code: "invalid", field: "seconds", inMsg: "number"},
		{name: "unknown field", req: request{body: `{"type":"next","sgement":"x"}`},
			status: 400, code: "invalid", field: "sgement"},
		{name: "trailing data", req: request{body: `{"type":"next"} {"type":"next"}`},
			status: 400, code: "invalid", inMsg: "trailing"},
		{name: "unknown command type", req: request{body: `{"type":"jump"}`},
			status: 400, code: "invalid", field: "type", inMsg: "jump"},
		{name: "missing type", req: request{body: `{}`},
			status: 400, code: "invalid", field: "type"},
		{name: "expire is the server's own", req: request{body: `{"type":"expire"}`},
			status: 403, code: "forbidden"},
		{name: "goto unknown segment", req: request{body: `{"type":"goto","segment":"khong-co"}`},
			status: 404, code: "not_found", field: "segment", inMsg: "khong-co"},
		{name: "next on the last segment", setup: []string{`{"type":"goto","segment":"tap-huan"}`},
			req: request{body: `{"type":"next"}`}, status: 409, code: "conflict", inMsg: "last segment"},
		{name: "fire while not armed", req: request{body: `{"type":"fire"}`},
			status: 409, code: "not_armed"},
		{name: "second fire is a duplicate", setup: []string{`{"type":"arm"}`, `{"type":"fire"}`},
			req: request{body: `{"type":"fire"}`}, status: 409, code: "duplicate"},
		{name: "stale sequence", req: request{body: `{"type":"next","seq":0}`}, setup: []string{`{"type":"next"}`},
			status: 409, code: "conflict", inMsg: "moved on"},
		{name: "command too large", req: request{body: `{"type":"message","text":"` + strings.Repeat("a", 5000) + `"}`},
			status: 413, code: "too_large", inMsg: "4 KiB"},
		{name: "message too long", req: request{body: `{"type":"message","text":"` + strings.Repeat("ă", 501) + `"}`},
			status: 400, code: "invalid", field: "text"},
		// Strict JSON (JSON v2): names match exactly, once.
		{name: "a name in another case is unknown", req: request{body: `{"Type":"message","Text":"x"}`},
			status: 400, code: "invalid", field: "Type", inMsg: "unknown field"},
		{name: "a later TYPE does not win", req: request{body: `{"type":"message","text":"hi","TYPE":"next"}`},
			status: 400, code: "invalid", field: "TYPE", inMsg: "unknown field"},
		{name: "a name twice", req: request{body: `{"type":"message","text":"a","text":"b"}`},
			status: 400, code: "invalid", field: "text", inMsg: "twice"},
		{name: "invalid UTF-8", req: request{body: "{\"type\":\"message\",\"text\":\"a\xffb\"}"},
			status: 400, code: "invalid", field: "text", inMsg: "malformed JSON"},
		{name: "a lone surrogate", req: request{body: `{"type":"message","text":"a\ud800b"}`},
			status: 400, code: "invalid", field: "text", inMsg: "malformed JSON"},
		{name: "a control character", req: request{body: `{"type":"message","text":"a\u0007b"}`},
			status: 400, code: "invalid", field: "text", inMsg: "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			for _, s := range tt.setup {
				f.mustCommand(t, s)
			}
			before := f.engine.Snapshot().State
			tt.req.method, tt.req.path, tt.req.token = http.MethodPost, "/api/v1/commands", opToken
			rec := f.do(t, tt.req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			e := errorOf(t, rec)
			if e.Code != tt.code || e.Field != tt.field || !strings.Contains(e.Message, tt.inMsg) {
				t.Errorf("error %+v, want code %q field %q message with %q", e, tt.code, tt.field, tt.inMsg)
			}
			if after := f.engine.Snapshot().State; after.Seq != before.Seq {
				t.Errorf("a refused command changed the state: seq %d → %d", before.Seq, after.Seq)
			}
		})
	}
}

func TestCommandAccepted(t *testing.T) {
	f := newFixture(t)
	seq := f.engine.Snapshot().State.Seq
	body := f.mustCommand(t, `{"type":"goto","segment":"phat-bieu-chi-dao"}`)
	if body.Answer == nil || body.Answer.Seq != seq+1 || body.State.Seq != seq+1 || body.State.Current.ID != "phat-bieu-chi-dao" {
		t.Fatalf("goto: %+v", body)
	}
	f.mustCommand(t, `{"type":"start"}`)
	body = f.mustCommand(t, `{"type":"add-time","seconds":60}`)
	if body.State.Timer.AddedMs != 60_000 || body.State.Timer.Phase != protocol.TimerRunning {
		t.Errorf("add-time: %+v", body.State.Timer)
	}
	body = f.mustCommand(t, `{"type":"message","text":"Còn 5 phút, xin anh chuẩn bị kết thúc"}`)
	if body.State.Message.Text != "Còn 5 phút, xin anh chuẩn bị kết thúc" {
		t.Errorf("message %q", body.State.Message.Text)
	}
	if body.ServerTime != f.clock.Now().UnixMilli() {
		t.Errorf("serverTime %d", body.ServerTime)
	}
}

func TestCommandRetryGetsTheFirstAnswer(t *testing.T) {
	f := newFixture(t)
	first := f.mustCommand(t, `{"type":"next","id":"mc-1"}`)
	again := f.mustCommand(t, `{"type":"next","id":"mc-1"}`)
	if *again.Answer != *first.Answer || again.State.Seq != first.State.Seq || again.State.Current.Index != 1 {
		t.Fatalf("retry applied twice: first %+v, again %+v", first.Answer, again.Answer)
	}
	// A refused command's retry is refused the same way.
	f.mustCommand(t, `{"type":"arm"}`)
	if rec := f.command(t, `{"type":"arm","id":"mc-2"}`); rec.Code != http.StatusConflict {
		t.Fatalf("arm twice: %d", rec.Code)
	}
	if rec := f.command(t, `{"type":"arm","id":"mc-2"}`); rec.Code != http.StatusConflict || errorOf(t, rec).Code != "conflict" {
		t.Fatalf("retry of a refused command: %d %s", rec.Code, rec.Body)
	}
}

// newButtonKey makes a button's own key through the API, as /edit does.
func (f *fixture) newButtonKey(t testing.TB, button string) string {
	t.Helper()
	return f.newCredential(t, `{"kind":"button","label":"Nút `+button+`","button":"`+button+`"}`).Secret
}

func TestPress(t *testing.T) {
	f := newFixture(t)
	key := f.newButtonKey(t, "nut-1")
	press := func(token, body string) *httptest.ResponseRecorder {
		return f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: token, body: body})
	}
	if rec := press(key, `{"pressId":"p1"}`); rec.Code != http.StatusConflict || errorOf(t, rec).Code != "not_armed" {
		t.Fatalf("press before arm: %d %s", rec.Code, rec.Body)
	}
	f.mustCommand(t, `{"type":"arm"}`)
	if rec := press(key, `{"button":"nut-2","pressId":"p2"}`); rec.Code != http.StatusForbidden || errorOf(t, rec).Code != "forbidden" {
		t.Fatalf("a key pressing as another button: %d %s", rec.Code, rec.Body)
	}
	rec := press(key, `{"button":"nut-1","name":"Nút Chủ tịch","pressId":"p2"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("press: %d %s", rec.Code, rec.Body)
	}
	body := decode[display.StateBody](t, rec)
	if body.Answer.Outcome != controller.OutcomeFired || body.State.Launch.Phase != protocol.LaunchFired || body.State.Launch.Source != "button:nut-1" {
		t.Fatalf("press: %+v", body)
	}
	// The same press again (a retry) is answered the same; another press is a duplicate.
	if rec := press(key, `{"button":"nut-1","pressId":"p2"}`); rec.Code != http.StatusOK {
		t.Errorf("retry of the firing press: %d %s", rec.Code, rec.Body)
	}
	if rec := press(key, `{"pressId":"p3"}`); rec.Code != http.StatusConflict || errorOf(t, rec).Code != "duplicate" {
		t.Errorf("press after fire: %d %s", rec.Code, rec.Body)
	}
	if rec := press(key, `{"pressId":"p4","type":"fire"}`); rec.Code != http.StatusBadRequest || errorOf(t, rec).Field != "type" {
		t.Errorf("a press body with a type: %d %s", rec.Code, rec.Body)
	}
	if rec := press(buttonKey, `{"pressId":"p5"}`); rec.Code != http.StatusBadRequest || errorOf(t, rec).Field != "button" {
		t.Errorf("a press with the shared key and no button: %d %s", rec.Code, rec.Body)
	}
	// A press command with a button's key goes through /commands too; the
	// key names the button.
	f2 := newFixture(t)
	key2 := f2.newButtonKey(t, "nut-7")
	f2.mustCommand(t, `{"type":"arm"}`)
	rec = f2.do(t, request{method: http.MethodPost, path: "/api/v1/commands", token: key2,
		body: `{"type":"press","pressId":"x1"}`})
	if rec.Code != http.StatusOK || decode[display.StateBody](t, rec).State.Launch.Source != "button:nut-7" {
		t.Errorf("press command with a button's key: %d %s", rec.Code, rec.Body)
	}
}

// TestSharedKeyCountsOnce: the shared key of an older database counts as
// one button whatever ids it claims, so its holder alone cannot make K.
func TestSharedKeyCountsOnce(t *testing.T) {
	f := newFixture(t)
	show := f.engine.Snapshot().Show.Clone()
	show.Launch.RequiredPresses = 2
	if _, err := f.engine.ReplaceShow(show, true, controller.Actor{Role: "api"}); err != nil {
		t.Fatal(err)
	}
	f.mustCommand(t, `{"type":"arm"}`)
	press := func(token, body string) *httptest.ResponseRecorder {
		return f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: token, body: body})
	}
	if rec := press(buttonKey, `{"button":"nut-1","pressId":"a1"}`); rec.Code != http.StatusOK || decode[display.StateBody](t, rec).Answer.Outcome != controller.OutcomeCounted {
		t.Fatalf("first press with the shared key: %d %s", rec.Code, rec.Body)
	}
	rec := press(buttonKey, `{"button":"nut-2","pressId":"a2"}`)
	if rec.Code != http.StatusConflict || errorOf(t, rec).Code != "duplicate" {
		t.Fatalf("the shared key claiming a second button: %d %s, want duplicate", rec.Code, rec.Body)
	}
	rec = press(f.newButtonKey(t, "nut-3"), `{"pressId":"a3"}`)
	launch := decode[display.StateBody](t, rec).State.Launch
	if rec.Code != http.StatusOK || launch.Phase != protocol.LaunchFired || len(launch.Presses) != 2 ||
		launch.Presses[0].Button != access.SharedButton || launch.Presses[0].Name != "nut-1" || launch.Presses[1].Button != "nut-3" {
		t.Fatalf("a button with its own key after the shared one: %d %+v", rec.Code, launch)
	}
}

// TestPressLengths: the longest button id and press id the protocol allows
// make a press (the engine's own id for it is longer than either), in
// characters, not bytes; one more is refused, naming the field.
func TestPressLengths(t *testing.T) {
	f := newFixture(t)
	f.mustCommand(t, `{"type":"arm"}`)
	press := func(button, pressID string) *httptest.ResponseRecorder {
		return f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: buttonKey,
			body: `{"button":"` + button + `","pressId":"` + pressID + `"}`})
	}
	if rec := press(strings.Repeat("b", 65), "p1"); rec.Code != http.StatusBadRequest || errorOf(t, rec).Field != "button" {
		t.Errorf("65-character button: %d %s", rec.Code, rec.Body)
	}
	if rec := press("nut-1", strings.Repeat("p", 129)); rec.Code != http.StatusBadRequest || errorOf(t, rec).Field != "pressId" {
		t.Errorf("129-character press id: %d %s", rec.Code, rec.Body)
	}
	rec := press(strings.Repeat("ă", 64), strings.Repeat("ư", 128))
	if rec.Code != http.StatusOK || decode[display.StateBody](t, rec).Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("64-character button, 128-character press id: %d %s", rec.Code, rec.Body)
	}
}
