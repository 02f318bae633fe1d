package display

import (
	"cmp"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// MaxWitnessBytes is the largest body of POST /api/v1/witness.
const MaxWitnessBytes = 256

// WitnessFunc takes a button agent's report of the primary
// (Config.Witness): witness names the agent by its credential's label.
type WitnessFunc = func(witness string, r protocol.WitnessReport)

// postWitness answers POST /api/v1/witness: a button agent, with its own
// key, says how long it has not heard the primary (the witness of an
// automatic takeover, docs/standby.md). 204 when taken; 409 on a server
// that takes no witness (not a standby, or no pair).
func (s *Server) postWitness(c echo.Context) error {
	if roleOf(c) != RoleButton {
		return controller.Errorf(controller.EFORBIDDEN, "a witness is a button agent, with its button's key")
	}
	body, err := readBody(c, MaxWitnessBytes)
	if err != nil {
		return err
	}
	var r protocol.WitnessReport
	if err := controller.DecodeJSON(body, &r); err != nil {
		return err
	}
	if r.LostMs < 0 {
		return controller.FieldError("lostMs", "must not be negative")
	}
	if s.witness == nil {
		return controller.Errorf(controller.ECONFLICT, "this server takes no witness: it is not a standby of a pair")
	}
	id := identityOf(c)
	s.witness(cmp.Or(id.Label, id.Button), r)
	return c.NoContent(http.StatusNoContent)
}
