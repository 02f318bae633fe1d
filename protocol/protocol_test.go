package protocol

import (
	"encoding/json"
	"testing"
)

// TestJSONShape encodes messages as docs/protocol.md shows them.
func TestJSONShape(t *testing.T) {
	offset, rtt, unc, started := -10003.2, 4.1, 2.3, 1744600123457.3
	tests := []struct {
		name string
		msg  any
		want string
	}{
		{"hello of a button", HelloMsg{Type: TypeHello, Role: RoleButton, Name: "Nút 1", Button: "nut-1", Key: "k"},
			`{"type":"hello","role":"button","name":"Nút 1","button":"nut-1","key":"k"}`},
		{"hello of a screen", HelloMsg{Type: TypeHello, Role: RoleStage},
			`{"type":"hello","role":"stage"}`},
		{"welcome", WelcomeMsg{Type: TypeWelcome, ClientID: "c42", Role: RoleStage, Name: "Màn LED chính", ServerTime: 1744600000000.125},
			`{"type":"welcome","clientId":"c42","role":"stage","name":"Màn LED chính","serverTime":1744600000000.125}`},
		{"press", PressMsg{Type: TypePress, Ref: "p3", PressID: "nut-1-1744600000123-3", PressedAt: 1744600000123},
			`{"type":"press","ref":"p3","pressId":"nut-1-1744600000123-3","pressedAt":1744600000123}`},
		{"press without a clock", PressMsg{Type: TypePress, Ref: "p3", PressID: "x"},
			`{"type":"press","ref":"p3","pressId":"x"}`},
		{"time request", TimeMsg{Type: TypeTime, T0: 1744599990000.125},
			`{"type":"time","t0":1744599990000.125}`},
		{"time answer", TimeMsg{Type: TypeTime, T0: 1744599990000.125, T1: 1744600000000.5, T2: 1744600000000.51},
			`{"type":"time","t0":1744599990000.125,"t1":1744600000000.5,"t2":1744600000000.51}`},
		{"answer", AnswerMsg{Type: TypeAnswer, Ref: "p3", Answer: Answer{Seq: 57, Outcome: OutcomeFired}},
			`{"type":"answer","ref":"p3","answer":{"seq":57,"outcome":"fired"}}`},
		{"refusal", AnswerMsg{Type: TypeAnswer, Ref: "r18", Answer: Answer{Seq: 41, Error: &Error{Code: CodeConflict, Message: "…"}}, Error: &Error{Code: CodeConflict, Message: "…"}},
			`{"type":"answer","ref":"r18","answer":{"seq":41,"error":{"code":"conflict","message":"…"}},"error":{"code":"conflict","message":"…"}}`},
		{"error", ErrorMsg{Type: TypeError, Ref: "r19", Error: &Error{Code: CodeInvalid, Field: "type", Message: "m"}},
			`{"type":"error","ref":"r19","error":{"code":"invalid","message":"m","field":"type"}}`},
		{"fire", FireMsg{Type: TypeFire, FireID: "f57", FireAt: 1744600123456, Caption: "PHÁT ĐỘNG"},
			`{"type":"fire","fireId":"f57","fireAt":1744600123456,"caption":"PHÁT ĐỘNG"}`},
		{"clock report", ReportMsg{Type: TypeReport, Offset: &offset, RTT: &rtt, Uncertainty: &unc},
			`{"type":"report","offset":-10003.2,"rtt":4.1,"uncertainty":2.3}`},
		{"start report", ReportMsg{Type: TypeReport, FireID: "f57", StartedAt: &started},
			`{"type":"report","fireId":"f57","startedAt":1744600123457.3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
}

// TestErrorText: an Error reads as code, field and message.
func TestErrorText(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{Code: CodeNotArmed, Message: "the launch is not armed"}, "not_armed: the launch is not armed"},
		{Error{Code: CodeInvalid, Field: "t0", Message: "needs a number"}, "invalid: t0: needs a number"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
