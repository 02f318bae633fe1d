package controller_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

// TestValidateLeavesTheCommandUnchanged: Validate only checks; Normalize
// returns a normalised copy and leaves its input as it was.
func TestValidateLeavesTheCommandUnchanged(t *testing.T) {
	seq := uint64(7)
	tests := []struct {
		name     string
		cmd      controller.Command
		normText string // the text after Normalize
		code     string // Validate's code on the normalised command
	}{
		{"message with spaces", controller.Command{Type: controller.CmdMessage, Text: "  Còn 5 phút \n", Blink: true}, "Còn 5 phút", ""},
		{"message in NFD", controller.Command{Type: controller.CmdMessage, Text: "Ho\u0302\u0300i"}, "Hồi", ""},
		{"message of blanks", controller.Command{Type: controller.CmdMessage, Text: " \t "}, "", controller.EINVALID},
		{"message too long", controller.Command{Type: controller.CmdMessage, Text: strings.Repeat("ă", controller.MaxMessageLen+1)}, strings.Repeat("ă", controller.MaxMessageLen+1), controller.EINVALID},
		{"goto with seq", controller.Command{Type: controller.CmdGoto, Segment: "talk", Seq: &seq, ID: "c1"}, "", ""},
		{"blackout", controller.Command{Type: controller.CmdBlackout, On: on(true)}, "", ""},
		{"press without press id", controller.Command{Type: controller.CmdPress, Button: " b1 ", Name: " Nút 1 "}, "", controller.EINVALID},
		{"expire", controller.Command{Type: controller.CmdExpire}, "", controller.EFORBIDDEN},
		{"no type", controller.Command{Text: " x "}, "x", controller.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.cmd
			before := in
			norm := in.Normalize()
			if !reflect.DeepEqual(in, before) {
				t.Errorf("Normalize changed its input: %+v, was %+v", in, before)
			}
			if norm.Text != tt.normText {
				t.Errorf("normalised text %q, want %q", norm.Text, tt.normText)
			}
			if norm.Button != in.Button || norm.Name != in.Name {
				t.Errorf("Normalize changed more than the text: %+v", norm)
			}
			normBefore := norm
			if got := controller.ErrorCode(norm.Validate()); got != tt.code {
				t.Errorf("Validate: code %q, want %q", got, tt.code)
			}
			_ = in.Validate()
			if !reflect.DeepEqual(in, before) || !reflect.DeepEqual(norm, normBefore) {
				t.Errorf("Validate changed the command: %+v / %+v", in, norm)
			}
		})
	}
}

// TestExecuteNormalisesBeforeValidating: the engine validates and applies
// the normalised command, and its caller's command is left as it was.
func TestExecuteNormalisesBeforeValidating(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	c := controller.Command{Type: controller.CmdMessage, Text: "  Ho\u0302\u0300i  "}
	res, err := e.Execute(c, operator)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Snapshot.State.Message.Text; got != "Hồi" {
		t.Errorf("message %q, want the normalised %q", got, "Hồi")
	}
	if c.Text != "  Ho\u0302\u0300i  " {
		t.Errorf("the caller's command was changed: %q", c.Text)
	}
	if _, err := e.Execute(controller.Command{Type: controller.CmdMessage, Text: "   "}, operator); controller.ErrorCode(err) != controller.EINVALID {
		t.Errorf("a blank message: %v, want invalid", err)
	}
}
