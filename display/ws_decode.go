package display

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"

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
	if err := json.Unmarshal(data, &env); err != nil {
		return protocol.Envelope{}, decodeError(err)
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
	if err := json.Unmarshal(data, m); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeError turns a JSON v2 error into a coded one.
func decodeError(err error) error {
	var se *json.SemanticError
	if !errors.As(err, &se) {
		return controller.Errorf(controller.EINVALID, "the message is not valid JSON: %v", err)
	}
	field := strings.TrimPrefix(string(se.JSONPointer), "/")
	if field == "" {
		return controller.Errorf(controller.EINVALID, "the message is not a JSON object")
	}
	want := "of another type"
	if t := se.GoType; t != nil {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.String:
			want = "a string"
		case reflect.Float64:
			want = "a number"
		case reflect.Int, reflect.Int64:
			want = "a whole number"
		}
	}
	if se.Err != nil && se.JSONKind == '0' {
		want += " within range"
	}
	return controller.FieldError(field, "must be %s", want)
}
