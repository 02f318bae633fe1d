package display

import (
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// maxRefLen bounds the ref a device may give a message.
const maxRefLen = 64

// decodeEnvelope decodes a message's type and ref, the members every
// message may carry. Names match exactly; duplicate names and invalid
// UTF-8 are refused (JSON v2).
func decodeEnvelope(data []byte) (protocol.Envelope, error) {
	var env protocol.Envelope
	if err := controller.DecodeJSONPart(data, &env); err != nil {
		return protocol.Envelope{}, err
	}
	if len(env.Ref) > maxRefLen {
		n := len(env.Ref)
		env.Ref = ""
		return env, controller.FieldError("ref", "is %d bytes long, at most %d are allowed", n, maxRefLen)
	}
	if env.Type == "" {
		return env, controller.FieldError("type", "a message needs a type")
	}
	return env, nil
}

// decodeBody decodes a message into the protocol type of its type. Members
// of other types are ignored; a member of the wrong type is a field error
// naming it.
func decodeBody(data []byte, m any) error {
	return controller.DecodeJSONPart(data, m)
}
