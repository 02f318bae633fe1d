package display

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// MaxIdentifyBytes bounds the body of POST /api/v1/identify.
const MaxIdentifyBytes = 1 << 10

// IdentifyBody is the body of POST /api/v1/identify: the id of a
// connected device, as the devices message lists it.
type IdentifyBody struct {
	Device string `json:"device"`
}

// IdentifiedBody answers POST /api/v1/identify: the device told to show
// its name, and the name it shows.
type IdentifiedBody struct {
	Device string        `json:"device"`
	Role   protocol.Role `json:"role"`
	Name   string        `json:"name"`
}

// identifyNames name a device that named itself nothing, by its role.
var identifyNames = map[protocol.Role]string{
	protocol.RoleStage:     "Màn hình sân khấu",
	protocol.RolePresenter: "Màn hình người phát biểu",
	protocol.RoleOperator:  "Máy điều khiển",
}

// postIdentify answers POST /api/v1/identify: the one device named shows
// its name for protocol.IdentifyDurationMs; no other device is told.
func (s *Server) postIdentify(c echo.Context) error {
	data, err := readBody(c, MaxIdentifyBytes)
	if err != nil {
		return err
	}
	var in IdentifyBody
	if err := controller.DecodeJSON(data, &in); err != nil {
		return err
	}
	if in.Device == "" {
		return controller.FieldError("device", "names no device: give a device id from the devices list")
	}
	out, err := s.hub.identify(in.Device)
	if err != nil {
		return err
	}
	s.log.Info("identify", "device", out.Device, "role", out.Role, "name", out.Name, "by", c.RealIP())
	return c.JSON(http.StatusOK, out)
}

// identify sends the identify message to the connected device id.
func (h *Hub) identify(id string) (IdentifiedBody, error) {
	for _, c := range h.introduced() {
		if c.id != id {
			continue
		}
		fallback, ok := identifyNames[c.role]
		if !ok {
			return IdentifiedBody{}, controller.FieldError("device", "%s is a %s, which has no screen to show its name on", id, c.role)
		}
		name := c.name
		if name == "" {
			name = fallback
		}
		if !c.sendText(mustJSON(protocol.IdentifyMsg{Type: protocol.TypeIdentify, Name: name, DurationMs: protocol.IdentifyDurationMs})) {
			return IdentifiedBody{}, controller.Errorf(EUNAVAILABLE, "device %s is going away; try again when it is back", id)
		}
		return IdentifiedBody{Device: id, Role: c.role, Name: name}, nil
	}
	return IdentifiedBody{}, controller.Errorf(controller.ENOTFOUND, "no connected device %q: it may have left; see the devices list", id)
}
