package protocol

// LaunchPhase is where the launch moment stands: idle → armed → fired.
type LaunchPhase string

// Launch phases.
const (
	LaunchIdle  LaunchPhase = "idle"
	LaunchArmed LaunchPhase = "armed"
	LaunchFired LaunchPhase = "fired"
)

// Launch is the state of the launch moment, part of the View:
//
//	{"phase":"fired","armedAt":1744600120000,"presses":[…],"required":1,"windowMs":5000,"fireId":"f57","firedAt":1744600123206,"fireAt":1744600123456,"source":"button:nut-1"}
type Launch struct {
	Phase    LaunchPhase `json:"phase"`
	ArmedAt  int64       `json:"armedAt,omitempty"`
	Presses  []Press     `json:"presses"` // the distinct buttons counted
	Required int         `json:"required"`
	WindowMs int         `json:"windowMs"`
	FireID   string      `json:"fireId,omitempty"`
	FiredAt  int64       `json:"firedAt,omitempty"` // when the server decided
	FireAt   int64       `json:"fireAt,omitempty"`  // when every screen starts the moment
	Source   string      `json:"source,omitempty"`
}

// Press is one counted press of a launch button:
//
//	{"button":"nut-1","name":"Nút 1","pressId":"nut-1-1744600000123-3","at":1744600000123}
type Press struct {
	Button  string `json:"button"`
	Name    string `json:"name,omitempty"`
	PressID string `json:"pressId"`
	At      int64  `json:"at"` // server time, Unix ms
}

// FireMsg is sent to every socket when the launch fires, before the state
// that carries it (protocol §5):
//
//	{"type":"fire","fireId":"f57","fireAt":1744600123456,"caption":"PHÁT ĐỘNG…"}
type FireMsg struct {
	Type    string `json:"type"`
	FireID  string `json:"fireId"`
	FireAt  int64  `json:"fireAt"`
	Caption string `json:"caption"`
}

// PressMsg is one press of a button (protocol §4); PressedAt is the press
// time in server time, Unix ms, left out when unknown:
//
//	{"type":"press","ref":"p3","pressId":"nut-1-1744600000123-3","pressedAt":1744600000123}
type PressMsg struct {
	Type      string `json:"type"`
	Ref       string `json:"ref"`
	PressID   string `json:"pressId"`
	PressedAt int64  `json:"pressedAt,omitempty"`
}

// Launch outcomes, in the answer to a press or a fire.
const (
	OutcomeCounted = "counted" // the press counts; more are required
	OutcomeFired   = "fired"   // this trigger fired the launch
)

// Answer is the server's answer to one command or press:
//
//	{"seq":57,"outcome":"fired"}
type Answer struct {
	// Seq is the state's seq after the command: the new one when
	// accepted, the current one when refused.
	Seq     uint64 `json:"seq"`
	Outcome string `json:"outcome,omitempty"`
	Error   *Error `json:"error,omitempty"`
	// Epoch is the epoch of the server that answered (absent = 0): a
	// press resent after a takeover is answered by the new primary, one
	// epoch up, with the first answer's seq and outcome.
	Epoch uint64 `json:"epoch,omitempty"`
}

// AnswerMsg carries an Answer, echoing the ref of the message it answers;
// a refusal's error is both in Answer.Error and in Error (protocol §4):
//
//	{"type":"answer","ref":"p3","answer":{"seq":57,"outcome":"fired"}}
type AnswerMsg struct {
	Type   string `json:"type"`
	Ref    string `json:"ref,omitempty"`
	Answer Answer `json:"answer"`
	Error  *Error `json:"error,omitempty"`
}
