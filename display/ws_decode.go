package display

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// maxRefLen bounds the ref a device may give a message.
const maxRefLen = 64

// inbound is any message a device sends; which fields count depends on
// its type (docs/protocol.md). Names match exactly; unknown members are
// ignored; duplicate names and invalid UTF-8 are refused (JSON v2).
type inbound struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`

	// hello
	Role   protocol.Role `json:"role"`
	Name   string        `json:"name"`
	Token  string        `json:"token"`
	Key    string        `json:"key"`
	Button string        `json:"button"`

	// command, kept raw for the command's own strict decoder
	Command jsontext.Value `json:"command"`

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

// decodeMessage decodes one message and checks its envelope. A member of
// the wrong type is a field error naming it.
func decodeMessage(data []byte, m *inbound) error {
	if err := json.Unmarshal(data, m); err != nil {
		return decodeError(err)
	}
	if len(m.Ref) > maxRefLen {
		ref := m.Ref
		m.Ref = ""
		return controller.FieldError("ref", "is %d bytes long, at most %d are allowed", len(ref), maxRefLen)
	}
	if m.Type == "" {
		return controller.FieldError("type", "a message needs a type")
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
		}
	}
	if se.Err != nil && se.JSONKind == '0' {
		want += " within range"
	}
	return controller.FieldError(field, "must be %s", want)
}
