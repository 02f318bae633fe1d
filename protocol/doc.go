// Package protocol is the Go definition of the websocket protocol every
// device speaks with the server (docs/protocol.md): the messages, with
// their JSON shape, the view of the live state the screens get, and the
// error codes.
//
// It is the wire, not the domain: it imports no other package of this
// module, and the domain (controller) does not import it. The server
// (display) converts the domain's values into these types in one place;
// the button agent and the load tool use nothing else.
package protocol

// Message types, the "type" field of every message.
const (
	TypeHello   = "hello"   // client → server, first message
	TypeWelcome = "welcome" // server → client, answers a good hello
	TypeShow    = "show"    // server → operators and monitors: the rundown
	TypeState   = "state"   // server → everyone: the live state
	TypeFire    = "fire"    // server → everyone: the moment was decided
	TypeTime    = "time"    // both ways: a clock-sync request and its answer
	TypeCommand = "command" // operator → server
	TypePress   = "press"   // button → server
	TypeAnswer  = "answer"  // server → the sender of a command or a press
	TypeReport  = "report"  // client → server: clock figures, a fire's start, frame figures
	TypeDevices = "devices" // server → operators: the connected devices
	TypeError   = "error"   // server → client: a refused message
)

// Envelope is what every message a device sends may carry besides its own
// fields: its type, and a ref the server echoes in its answer or error.
type Envelope struct {
	Type string `json:"type"`
	Ref  string `json:"ref,omitempty"`
}
