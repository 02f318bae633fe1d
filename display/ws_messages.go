package display

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/clocksync"
)

// inbound is any message a device sends; which fields count depends on
// its type (docs/protocol.md). Unknown fields are ignored.
type inbound struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`

	// hello
	Role   Role   `json:"role"`
	Name   string `json:"name"`
	Token  string `json:"token"`
	Key    string `json:"key"`
	Button string `json:"button"`

	// command
	Command json.RawMessage `json:"command"`

	// press
	PressID   string   `json:"pressId"`
	PressedAt *float64 `json:"pressedAt"`

	// time
	T0 *float64 `json:"t0"`

	// report
	Offset      *float64 `json:"offset"`
	RTT         *float64 `json:"rtt"`
	Uncertainty *float64 `json:"uncertainty"`
	FireID      string   `json:"fireId"`
	StartedAt   *float64 `json:"startedAt"`
	// report of how smoothly the screen drew its last moment
	FPS      *float64 `json:"fps"`
	MedianMs *float64 `json:"medianMs"`
	MaxGapMs *float64 `json:"maxGapMs"`
	Quality  *float64 `json:"quality"`
}

// stateMsg is {"type":"state"}: the full live state after every change.
type stateMsg struct {
	Type       string          `json:"type"`
	ServerTime float64         `json:"serverTime"`
	State      controller.View `json:"state"`
}

// showMsg is {"type":"show"}: the rundown, when it changes.
type showMsg struct {
	Type    string           `json:"type"`
	ShowRev uint64           `json:"showRev"`
	Show    *controller.Show `json:"show"`
}

// fireMsg is {"type":"fire"}: the moment was decided.
type fireMsg struct {
	Type    string `json:"type"`
	FireID  string `json:"fireId"`
	FireAt  int64  `json:"fireAt"`
	Caption string `json:"caption"`
}

// welcomeMsg answers a good hello.
type welcomeMsg struct {
	Type       string  `json:"type"`
	ClientID   string  `json:"clientId"`
	Role       Role    `json:"role"`
	Name       string  `json:"name,omitempty"`
	Button     string  `json:"button,omitempty"`
	ServerTime float64 `json:"serverTime"`
}

// answerMsg answers a command or a press.
type answerMsg struct {
	Type   string            `json:"type"`
	Ref    string            `json:"ref,omitempty"`
	Answer controller.Answer `json:"answer"`
	Error  *controller.Error `json:"error,omitempty"`
}

// errorMsg reports a message that was refused.
type errorMsg struct {
	Type  string            `json:"type"`
	Ref   string            `json:"ref,omitempty"`
	Error *controller.Error `json:"error"`
}

// serverNow is the server's clock as a protocol timestamp, to the
// microsecond.
func serverNow() float64 {
	return math.Round(clocksync.Stamp(time.Now())*1000) / 1000
}

// prepare encodes v once, framed as a text message, for every socket.
func prepare(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("display: encode %T: %w", v, err)
	}
	return textFrame(b), nil
}

func encodeState(s controller.Snapshot) ([]byte, error) {
	return prepare(stateMsg{Type: "state", ServerTime: serverNow(), State: s.View()})
}

func encodeShow(sh *controller.Show, rev uint64) ([]byte, error) {
	return prepare(showMsg{Type: "show", ShowRev: rev, Show: sh})
}

func encodeFire(l controller.Launch, caption string) ([]byte, error) {
	return prepare(fireMsg{Type: "fire", FireID: l.FireID, FireAt: l.FireAt, Caption: caption})
}

// mustJSON encodes a message of fixed shape, which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("display: encode %T: %v", v, err))
	}
	return b
}

// publicError is what a device may be told of err: domain errors as they
// are, anything else as an internal error without details.
func publicError(err error) *controller.Error {
	var de *controller.Error
	if errors.As(err, &de) && de.Code != controller.EINTERNAL {
		return de
	}
	return &controller.Error{Code: controller.EINTERNAL, Message: "internal error"}
}

// refuse sends an error about a message (ref names it when known).
func (c *client) refuse(ref string, err error) {
	c.sendText(mustJSON(errorMsg{Type: "error", Ref: ref, Error: publicError(err)}))
}

// answer sends the engine's answer to a command or a press, after the
// state the command produced.
func (c *client) answer(ref string, a controller.Answer, err error) {
	m := answerMsg{Type: "answer", Ref: ref, Answer: a}
	if err != nil {
		m.Error = publicError(err)
		m.Answer.Error = m.Error
	}
	c.hub.sendAfterPublished(c, mustJSON(m))
}
