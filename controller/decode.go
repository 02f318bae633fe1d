package controller

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeJSON decodes data, one JSON object, into v by the rules of every
// input the server takes (commands, presses, show files): member names
// match exactly, and unknown members, duplicate names, invalid UTF-8 (a
// lone surrogate escape included) and trailing data are refused (JSON v2
// semantics). A refusal is an invalid *Error whose Field is the full path
// of the member at fault, e.g. "segments[1].durationSec".
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return FieldError("", "the body is empty; send a JSON object")
	}
	return decodeJSON(data, v, json.RejectUnknownMembers(true))
}

// DecodeJSONPart is DecodeJSON for a message read in parts: the members v
// does not name are ignored. It is the hot path of every socket (a clock
// request every few seconds from every screen), so it takes json.Unmarshal's
// pooled decoders: a decoder of its own would allocate a 4 KiB string
// cache for each message (docs/performance.md, "The hub").
func DecodeJSONPart(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return jsonError(err)
	}
	return nil
}

// decodeJSON decodes one value and then requires the end of data, to tell
// trailing data apart from malformed JSON.
func decodeJSON(data []byte, v any, opts ...json.Options) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if err := json.UnmarshalDecode(dec, v, opts...); err != nil {
		return jsonError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return FieldError("", "trailing data after the JSON object")
	}
	return nil
}

// jsonError turns a JSON v2 error into a field error.
func jsonError(err error) error {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		field := fieldPath(syn.JSONPointer)
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			return FieldError(field, "appears twice in the object")
		}
		return FieldError(field, "malformed JSON at byte %d: %v", syn.ByteOffset, syn.Err)
	}
	var se *json.SemanticError
	if !errors.As(err, &se) {
		return FieldError("", "malformed JSON: %v", err)
	}
	field := fieldPath(se.JSONPointer)
	switch {
	case errors.Is(se.Err, json.ErrUnknownName):
		return FieldError(field, "unknown field %q", se.JSONPointer.LastToken())
	case field == "" && se.JSONKind != '{':
		return FieldError("", "must be a JSON object")
	}
	want := "of another type"
	if t := se.GoType; t != nil {
		want = "a " + jsonKind(t)
	}
	if se.Err != nil && se.JSONKind == '0' {
		want += " within range"
	}
	return FieldError(field, "must be %s", want)
}

// fieldPath writes a JSON pointer the way the errors name fields:
// "/segments/1/durationSec" is "segments[1].durationSec".
func fieldPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.ParseUint(tok, 10, 0); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// jsonKind names a Go type the way a JSON author thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
