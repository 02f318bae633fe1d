package display

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
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

// Keys of what requireRole found, on the request's context.
const (
	roleKey     = "phatdong.role"
	identityKey = "phatdong.identity"
)

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

// Who may call a route guarded by requireRole.
type clearance int

const (
	operatorsOnly clearance = iota // operator credentials and the administrator
	pressers                       // operators, and button credentials for presses
	adminOnly                      // the administrator's token alone
)

// requireRole is middleware that lets a request through only with a
// credential of the clearance. The role and identity are kept on the
// context for the handler. Failed attempts count against the client's
// address; a blocked address is answered 429 before its credential is
// even looked at, and so is an address over its request rate (s.limit).
func (s *Server) requireRole(need clearance) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ip := c.RealIP()
			if !s.auth.Allowed(ip) {
				c.Response().Header().Set("Retry-After", strconv.Itoa(max(int(s.auth.BlockFor.Seconds()), 1)))
				return controller.Errorf(ERATELIMITED, "too many failed attempts from %s; wait and try again", ip)
			}
			if wait, ok := s.limit.Take(ip); !ok {
				c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
				return controller.Errorf(ERATELIMITED, "too many requests from %s; wait and try again", ip)
			}
			token := bearer(c)
			if token == "" {
				s.auth.Failed(ip)
				s.metrics.authFailures.Inc()
				return controller.Errorf(EUNAUTHORIZED, "this needs a credential as \"Authorization: Bearer <token>\"")
			}
			id, ok := s.auth.Identify(token, ip)
			if !ok {
				s.auth.Failed(ip)
				s.metrics.authFailures.Inc()
				return controller.Errorf(EUNAUTHORIZED, "wrong or revoked token")
			}
			switch {
			case need == adminOnly && !id.Admin:
				return controller.Errorf(controller.EFORBIDDEN, "only the administrator's token may do this (credentials, backups)")
			case id.Kind == access.KindButton && need != pressers:
				return controller.Errorf(controller.EFORBIDDEN, "a button's key may only send presses")
			case id.Kind == access.KindScreen:
				return controller.Errorf(controller.EFORBIDDEN, "a screen's credential only opens a stage or presenter screen")
			}
			role := RoleOperator
			if id.Kind == access.KindButton {
				role = RoleButton
			}
			c.Set(roleKey, role)
			c.Set(identityKey, id)
			return next(c)
		}
	}
}

// roleOf is the role requireRole found for this request.
func roleOf(c echo.Context) Role {
	r, _ := c.Get(roleKey).(Role)
	return r
}

// identityOf is the credential requireRole found for this request.
func identityOf(c echo.Context) access.Identity {
	id, _ := c.Get(identityKey).(access.Identity)
	return id
}

// actorOf describes the caller for the journal: an operator by the label
// of its credential, a button by the button it presses as.
func actorOf(c echo.Context, cmd controller.Command) controller.Actor {
	a := controller.Actor{Role: "api", Name: identityOf(c).Label, Addr: c.RealIP()}
	if roleOf(c) == RoleButton {
		a.Role, a.Name = "button", cmd.Button
	}
	return a
}
