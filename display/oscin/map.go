package oscin

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/osc"
)

// Prefix is the start of every address phatdong answers.
const Prefix = "/phatdong/"

// errRelease marks a button's release (a single 0 or false argument): a
// control surface sends one on press and one on release, and only the
// press is a command.
var errRelease = errors.New("oscin: a release, not a command")

// triggers are the commands an address names without an argument.
var triggers = map[string]controller.CommandType{
	"next":          controller.CmdNext,
	"previous":      controller.CmdPrevious,
	"start":         controller.CmdStart,
	"pause":         controller.CmdPause,
	"resume":        controller.CmdResume,
	"clear-message": controller.CmdClearMsg,
}

// withArg are the addresses that take one argument.
var withArg = map[string]bool{"goto": true, "add-time": true, "message": true, "blackout": true}

// Command maps one OSC message to the command it asks for. The launch
// (arm, disarm, press, fire, reset) has no address: it can never be
// reached over OSC, which has no authentication.
func Command(m osc.Message) (controller.Command, error) {
	name, ok := strings.CutPrefix(m.Address, Prefix)
	if !ok {
		return controller.Command{}, fmt.Errorf("oscin: address %q is not under %s", m.Address, Prefix)
	}
	if t, ok := triggers[name]; ok {
		if err := checkTrigger(m.Args); err != nil {
			return controller.Command{}, fmt.Errorf("oscin: %s: %w", m.Address, err)
		}
		return controller.Command{Type: t}, nil
	}
	if !withArg[name] {
		return controller.Command{}, fmt.Errorf("oscin: unknown address %q", m.Address)
	}
	if len(m.Args) != 1 {
		return controller.Command{}, fmt.Errorf("oscin: %s takes one argument, got %d", m.Address, len(m.Args))
	}
	arg := m.Args[0]
	switch name {
	case "goto":
		s, ok := arg.(string)
		if !ok || s == "" {
			return controller.Command{}, fmt.Errorf("oscin: %s needs a segment id (a string)", m.Address)
		}
		return controller.Command{Type: controller.CmdGoto, Segment: s}, nil
	case "add-time":
		n, ok := whole(arg)
		if !ok || n == 0 {
			return controller.Command{}, fmt.Errorf("oscin: %s needs a non-zero whole number of seconds", m.Address)
		}
		return controller.Command{Type: controller.CmdAddTime, Seconds: n}, nil
	case "message":
		s, ok := arg.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return controller.Command{}, fmt.Errorf("oscin: %s needs the text (a string)", m.Address)
		}
		return controller.Command{Type: controller.CmdMessage, Text: s}, nil
	case "blackout":
		on, ok := flag(arg)
		if !ok {
			return controller.Command{}, fmt.Errorf("oscin: %s needs 0 or 1 (or T/F)", m.Address)
		}
		return controller.Command{Type: controller.CmdBlackout, On: &on}, nil
	}
	return controller.Command{}, fmt.Errorf("oscin: unknown address %q", m.Address)
}

// checkTrigger accepts no argument, or one: non-zero or true is a press,
// zero or false a release (errRelease).
func checkTrigger(args []any) error {
	switch len(args) {
	case 0:
		return nil
	case 1:
		on, ok := flag(args[0])
		if !ok {
			return fmt.Errorf("takes no argument, or one number or boolean, not %T", args[0])
		}
		if !on {
			return errRelease
		}
		return nil
	}
	return fmt.Errorf("takes no argument, got %d", len(args))
}

// whole reads an int32, or a float32 holding a whole number.
func whole(a any) (int, bool) {
	switch v := a.(type) {
	case int32:
		return int(v), true
	case float32:
		if v != float32(math.Trunc(float64(v))) || math.Abs(float64(v)) > math.MaxInt32 {
			return 0, false
		}
		return int(v), true
	}
	return 0, false
}

// flag reads a boolean: T/F, or the numbers 0 and 1.
func flag(a any) (bool, bool) {
	switch v := a.(type) {
	case bool:
		return v, true
	case int32:
		return v != 0, v == 0 || v == 1
	case float32:
		return v != 0, v == 0 || v == 1
	}
	return false, false
}
