package display

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
)

// postCommand answers POST /api/v1/commands. The body is one command, e.g.
// {"type":"next"} or {"type":"add-time","seconds":60}. The button key may
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
		return controller.Errorf(controller.EFORBIDDEN, "the button key may only send presses, not %q", cmd.Type)
	}
	return s.execute(c, cmd)
}

// PressBody is the body of POST /api/v1/press: one press of a launch
// button, sent by a button agent or with the operator token.
type PressBody struct {
	// Button is the button's id; each distinct button counts once.
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
	return s.execute(c, controller.Command{
		Type: controller.CmdPress, Button: p.Button, Name: p.Name, PressID: p.PressID, PressedAt: p.PressedAt,
	})
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
