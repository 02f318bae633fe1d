package display

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// Role is what an authenticated caller may do: protocol.Role, the role a
// device names in its hello.
type Role = protocol.Role

// Roles of HTTP callers. An operator may do anything; a button may only
// press.
const (
	RoleOperator = protocol.RoleOperator
	RoleButton   = protocol.RoleButton
)

const roleKey = "phatdong.role"

// bearer returns the credential of an "Authorization: Bearer <token>"
// header, or "" when there is none.
func bearer(c echo.Context) string {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// requireRole is middleware that lets a request through only with the
// operator token, or also with the button key when allowButton is set. The
// role is kept on the context for the handler. Failed attempts count
// against the client's address; a blocked address is answered 429 before
// its credential is even looked at.
func (s *Server) requireRole(allowButton bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ip := c.RealIP()
			if !s.auth.Allowed(ip) {
				c.Response().Header().Set("Retry-After", strconv.Itoa(max(int(s.auth.BlockFor.Seconds()), 1)))
				return controller.Errorf(ERATELIMITED, "too many failed attempts from %s; wait and try again", ip)
			}
			token := bearer(c)
			switch {
			case token == "":
				s.auth.Failed(ip)
				s.metrics.authFailures.Inc()
				return controller.Errorf(EUNAUTHORIZED, "this needs the operator token as \"Authorization: Bearer <token>\"")
			case s.auth.Operator(token):
				c.Set(roleKey, RoleOperator)
			case s.auth.Button(token):
				if !allowButton {
					return controller.Errorf(controller.EFORBIDDEN, "the button key may only send presses")
				}
				c.Set(roleKey, RoleButton)
			default:
				s.auth.Failed(ip)
				s.metrics.authFailures.Inc()
				return controller.Errorf(EUNAUTHORIZED, "wrong token")
			}
			return next(c)
		}
	}
}

// roleOf is the role requireRole found for this request.
func roleOf(c echo.Context) Role {
	r, _ := c.Get(roleKey).(Role)
	return r
}

// actorOf describes the caller for the journal. A button is named by the
// button id of its press.
func actorOf(c echo.Context, cmd controller.Command) controller.Actor {
	a := controller.Actor{Role: "api", Name: "http", Addr: c.RealIP()}
	if roleOf(c) == RoleButton {
		a.Role, a.Name = "button", cmd.Button
	}
	return a
}
