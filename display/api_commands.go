package display

import (
	"cmp"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
)

// postCommand answers POST /api/v1/commands. The body is one command, e.g.
// {"type":"next"} or {"type":"add-time","seconds":60}. A button's key may
// send presses only.
func (s *Server) postCommand(c echo.Context) error {
	body, err := readBody(c, MaxCommandBytes)
	if err != nil {
		return err
	}
	var cmd controller.Command
	if err := controller.DecodeJSON(body, &cmd); err != nil {
		return err
	}
	if roleOf(c) == RoleButton && cmd.Type != controller.CmdPress {
		return controller.Errorf(controller.EFORBIDDEN, "a button's key may only send presses, not %q", cmd.Type)
	}
	if err := pressAs(c, &cmd); err != nil {
		return err
	}
	return s.execute(c, cmd)
}

// PressBody is the body of POST /api/v1/press: one press of a launch
// button, sent with a button's key or an operator's token.
type PressBody struct {
	// Button is the button's id; each distinct button counts once. With a
	// button's key it may be left out (the key names the button).
	Button string `json:"button"`
	Name   string `json:"name,omitempty"`
	// PressID is unique per physical press; a retry with the same id is
	// answered the same and counted once.
	PressID string `json:"pressId"`
	// PressedAt is when it was pressed, in server time (Unix ms); optional.
	PressedAt int64 `json:"pressedAt,omitempty"`
}

// postPress answers POST /api/v1/press.
func (s *Server) postPress(c echo.Context) error {
	body, err := readBody(c, MaxCommandBytes)
	if err != nil {
		return err
	}
	var p PressBody
	if err := controller.DecodeJSON(body, &p); err != nil {
		return err
	}
	cmd := controller.Command{
		Type: controller.CmdPress, Button: p.Button, Name: p.Name, PressID: p.PressID, PressedAt: p.PressedAt,
	}
	if err := pressAs(c, &cmd); err != nil {
		return err
	}
	return s.execute(c, cmd)
}

// pressAs makes a button's press count as the button its credential
// names: a button's key presses only as its own button, and the shared key
// of an older database as one button, whatever id it claims (shown as the
// press's name). An operator may press as any button.
func pressAs(c echo.Context, cmd *controller.Command) error {
	if roleOf(c) != RoleButton {
		return nil
	}
	id := identityOf(c)
	switch {
	case id.Shared:
		if cmd.Button == "" {
			return controller.FieldError("button", "a press needs the button's id")
		}
		if err := checkText("button", cmd.Button, controller.MaxButtonLen); err != nil {
			return err
		}
		cmd.Name = cmp.Or(cmd.Name, cmd.Button)
		cmd.Button = access.SharedButton
	case cmd.Button != "" && cmd.Button != id.Button:
		return controller.Errorf(controller.EFORBIDDEN, "this key belongs to button %q, not %q", id.Button, cmd.Button)
	default:
		cmd.Button = id.Button
		cmd.Name = cmp.Or(cmd.Name, id.Label)
	}
	return nil
}

// execute runs a command on the engine and answers the state it committed
// (never a later one), or the error object with the status of its code.
func (s *Server) execute(c echo.Context, cmd controller.Command) error {
	start := time.Now()
	res, err := s.engine.Execute(cmd, actorOf(c, cmd))
	s.metrics.observeLatency(cmd.Type, time.Since(start))
	s.metrics.observeCommand(string(cmd.Type), err)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.stateBody(&res.Answer, res.Snapshot))
}
