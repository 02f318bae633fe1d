package display

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
)

// MaxTakeoverBytes is the largest body of POST /api/v1/takeover, which
// carries nothing ("" or {}).
const MaxTakeoverBytes = 256

// TakeoverFunc makes this standby the primary for actor (Config.Takeover).
type TakeoverFunc = func(actor controller.Actor) (controller.Result, error)

// runTakeover asks fn to take over for actor. A nil fn (no pair, or not a
// standby) refuses with ECONFLICT; errors keep their code. A refusal's
// answer carries the engine's current seq, as a refused command's does.
func runTakeover(fn TakeoverFunc, engine *controller.Engine, actor controller.Actor) (controller.Result, error) {
	var res controller.Result
	var err error = controller.Errorf(controller.ECONFLICT, "this server is not a standby: there is no primary to take over from")
	if fn != nil {
		if res, err = fn(actor); err == nil {
			return res, nil
		}
		err = fmt.Errorf("display: takeover: %w", err)
	}
	if res.Answer.Seq == 0 {
		res.Answer.Seq = engine.Snapshot().State.Seq
	}
	return res, err
}

// postTakeover answers POST /api/v1/takeover: the standby becomes the
// primary, one epoch up. The body is empty or {}. The answer is the
// state the takeover committed, as for a command.
func (s *Server) postTakeover(c echo.Context) error {
	body, err := readBody(c, MaxTakeoverBytes)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		var none struct{}
		if err := controller.DecodeJSON(body, &none); err != nil {
			return err
		}
	}
	actor := actorOf(c, controller.Command{Type: controller.CmdTakeover})
	s.log.Warn("takeover asked", "actor", actor.Name, "ip", actor.Addr)
	start := time.Now()
	res, err := runTakeover(s.takeover, s.engine, actor)
	s.metrics.observeLatency(controller.CmdTakeover, time.Since(start))
	s.metrics.observeCommand(string(controller.CmdTakeover), err)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.stateBody(&res.Answer, res.Snapshot))
}
