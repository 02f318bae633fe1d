package display

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/preflight"
	"github.com/phatdong/phatdong/protocol"
)

// neededRoles are the roles a show needs a device in.
var neededRoles = []Role{RoleStage, RoleButton}

// doctorRoutes mounts the preflight (issue #17): the report, and the test
// press that flashes the buttons' LEDs in rehearsal mode.
func (s *Server) doctorRoutes(api *echo.Group) {
	api.GET("/doctor", s.getDoctor, noStore, s.requireRole(operatorsOnly))
	api.POST("/doctor/press", s.postDoctorPress, noStore, s.requireRole(operatorsOnly))
}

// Doctor builds the preflight report, with the server's own checklist.
func (s *Server) Doctor() protocol.Doctor {
	now := s.serverTime()
	d := protocol.Doctor{ServerTime: now, Rehearsal: s.engine.Snapshot().State.Rehearsal, Counts: map[Role]int{}}
	if s.doctorHost != nil {
		d.DoctorHost = s.doctorHost()
	}
	d.Devices = s.hub.Devices()
	for _, dev := range d.Devices {
		d.Counts[dev.Role]++
		if dev.Role == RoleButton {
			d.Buttons = append(d.Buttons, protocol.ButtonLink{Button: dev.Button, Name: dev.Name, Addr: dev.Addr, RTTMs: dev.RTTMs,
				SilentMs: max(controller.UnixMs(s.engine.Now())-dev.LastSeen, 0)})
		}
	}
	d.Missing = []Role{}
	for _, r := range neededRoles {
		if d.Counts[r] == 0 {
			d.Missing = append(d.Missing, r)
		}
	}
	d.Checks = preflight.Checks(d, nil)
	return d
}

// getDoctor answers GET /api/v1/doctor.
func (s *Server) getDoctor(c echo.Context) error {
	return c.JSON(http.StatusOK, s.Doctor())
}

// postDoctorPress answers POST /api/v1/doctor/press: in rehearsal mode it
// asks every button agent to flash its LED (protocol.LEDTestMsg); nothing
// is pressed, nothing reaches a screen. Outside rehearsal it is refused.
func (s *Server) postDoctorPress(c echo.Context) error {
	if !s.engine.Snapshot().State.Rehearsal {
		return controller.Errorf(controller.ECONFLICT, "the test press needs rehearsal mode: turn rehearsal on (on /mc or /edit) first; it never runs during the show")
	}
	n, err := s.hub.FlashButtons()
	if err != nil {
		return err
	}
	s.log.Info("doctor: test press: the buttons' LEDs flash", "buttons", n)
	return c.JSON(http.StatusOK, protocol.DoctorPress{Sent: n})
}

// FlashButtons asks every button agent to flash its LED and returns how
// many were asked. Only button sockets receive it.
func (h *Hub) FlashButtons() (int, error) {
	frame, err := prepare(protocol.LEDTestMsg{Type: protocol.TypeLEDTest, Hz: protocol.LEDTestHz, DurationMs: protocol.LEDTestDurationMs})
	if err != nil {
		return 0, err
	}
	return h.broadcast(frame, func(c *client) bool { return c.role == RoleButton }, nil, nil), nil
}
