package button

import (
	"context"

	"github.com/phatdong/phatdong/protocol"
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

// inbound is any message the server sends a button (package protocol), with the fields the
// agent reads. Everything else is ignored.
type inbound struct {
	Type string `json:"type"`

	// welcome
	ClientID   string  `json:"clientId"`
	ServerTime float64 `json:"serverTime"`
	// Servers are the pair's servers, this one first (issue #14).
	Servers []protocol.ServerInfo `json:"servers"`

	// answer; Error is also set by an error message.
	Ref    string           `json:"ref"`
	Answer *protocol.Answer `json:"answer"`
	Error  *protocol.Error  `json:"error"`

	// state
	State *struct {
		Seq    uint64          `json:"seq"`
		Epoch  uint64          `json:"epoch"`
		Launch protocol.Launch `json:"launch"`
	} `json:"state"`

	// fire
	FireID string  `json:"fireId"`
	FireAt float64 `json:"fireAt"`

	// time
	T0 float64 `json:"t0"`
	T1 float64 `json:"t1"`
	T2 float64 `json:"t2"`

	// ledtest (protocol.LEDTestMsg)
	Hz         int `json:"hz"`
	DurationMs int `json:"durationMs"`
}
