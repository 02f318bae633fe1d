package button

import (
	"context"

	"github.com/phatdong/phatdong/controller"
)

// Link is one connection to the server as the agent sees it: whole text
// messages in and out. Read is called from one goroutine and Write from
// another; Close may be called from any goroutine, and makes a blocked
// Read return an error.
type Link interface {
	// Read returns the next message. It fails once the link is closed or
	// found dead.
	Read() ([]byte, error)
	// Write sends one message.
	Write(msg []byte) error
	// Close ends the link.
	Close() error
}

// Dialer opens links to the server. WebsocketDialer is the real one; tests
// wrap it to cut links on purpose.
type Dialer interface {
	Dial(ctx context.Context, url string) (Link, error)
}

// The messages of docs/protocol.md that a button sends.
type (
	// helloMsg introduces the button (protocol §1).
	helloMsg struct {
		Type   string `json:"type"` // "hello"
		Role   string `json:"role"` // "button"
		Name   string `json:"name"`
		Button string `json:"button"`
		Key    string `json:"key"`
	}
	// pressMsg is one press (protocol §2). PressedAt is server time in
	// Unix ms, left out when the agent has no clock estimate yet.
	pressMsg struct {
		Type      string `json:"type"` // "press"
		Ref       string `json:"ref"`
		PressID   string `json:"pressId"`
		PressedAt int64  `json:"pressedAt,omitempty"`
	}
	// timeMsg is a clock-sync request (protocol §3).
	timeMsg struct {
		Type string  `json:"type"` // "time"
		T0   float64 `json:"t0"`
	}
)

// inbound is any message the server sends a button, with the fields the
// agent reads. Everything else is ignored.
type inbound struct {
	Type string `json:"type"`

	// welcome
	ClientID   string  `json:"clientId"`
	ServerTime float64 `json:"serverTime"`

	// answer; Error is also set by an error message.
	Ref    string             `json:"ref"`
	Answer *controller.Answer `json:"answer"`
	Error  *controller.Error  `json:"error"`

	// state
	State *struct {
		Seq    uint64            `json:"seq"`
		Launch controller.Launch `json:"launch"`
	} `json:"state"`

	// fire
	FireID string  `json:"fireId"`
	FireAt float64 `json:"fireAt"`

	// time
	T0 float64 `json:"t0"`
	T1 float64 `json:"t1"`
	T2 float64 `json:"t2"`
}
