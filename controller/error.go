package controller

import (
	"errors"
	"fmt"
)

// Error codes of the domain: the rules of a show. The transport adds its
// own (unauthorized, too large, rate limited, unavailable: see package
// display) and maps every code to a status in one place; nothing outside
// this package parses error strings.
const (
	EINVALID   = "invalid"   // the input is malformed or breaks a rule of the show
	ENOTFOUND  = "not_found" // a segment or record does not exist
	ECONFLICT  = "conflict"  // the state moved on, or the command does not fit the state
	ENOTARMED  = "not_armed" // a press or fire while the launch is not armed
	EDUPLICATE = "duplicate" // the launch already fired, or this button was already counted
	EFORBIDDEN = "forbidden" // the caller's role may not do this
	EINTERNAL  = "internal"  // a fault of the server, e.g. the store failed
	// ENOTPRIMARY refuses a command sent to the standby server: only the
	// primary takes commands.
	ENOTPRIMARY = "not_primary"
)

// Error is a domain error with a stable code and a message fit for an operator.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the offending field of an input, when there is one.
	Field string `json:"field,omitempty"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds an EINVALID error that names the offending field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error,
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the operator-facing message of err. Internal errors
// are not leaked: their message is generic.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
