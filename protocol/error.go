package protocol

import "fmt"

// Error codes, the "code" of an Error. Each is stable: clients branch on
// it, never on the message.
const (
	CodeInvalid      = "invalid"      // the input is malformed or breaks a rule of the show
	CodeNotFound     = "not_found"    // a segment, fire or record does not exist
	CodeConflict     = "conflict"     // the state moved on, or the command does not fit it
	CodeNotArmed     = "not_armed"    // a press or fire while the launch is not armed
	CodeDuplicate    = "duplicate"    // the launch already fired, or this button was already counted
	CodeUnauthorized = "unauthorized" // missing or wrong credentials
	CodeForbidden    = "forbidden"    // the sender's role may not do this
	CodeTooLarge     = "too_large"    // a message over its limit
	CodeRateLimited  = "rate_limited" // too many messages, or failed credentials
	CodeInternal     = "internal"     // a fault of the server, e.g. the store failed
	CodeUnavailable  = "unavailable"  // the server is shutting down
)

// Error is a refusal with a stable code, a message fit for an operator and,
// for a bad input, the offending field:
//
//	{"code":"invalid","field":"type","message":"unknown message type \"foo\""}
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// ErrorMsg reports a message that was refused; Ref echoes the refused
// message's ref when it could be read (protocol §8):
//
//	{"type":"error","ref":"r19","error":{"code":"invalid","field":"type","message":"…"}}
type ErrorMsg struct {
	Type  string `json:"type"`
	Ref   string `json:"ref,omitempty"`
	Error *Error `json:"error"`
}
