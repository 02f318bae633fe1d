package display

import (
	"net"
	"os"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/phatdong/phatdong/controller"
)

// contentSecurityPolicy lets a page run only the server's own scripts,
// styles and fonts, and connect only to the server itself (its API and
// its websocket, which 'self' covers).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets, on every answer, the policy above, no referrer
// beyond the origin, and the usual hardening headers.
func securityHeaders() echo.MiddlewareFunc {
	return middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "1; mode=block",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
	})
}

// hostGuard refuses a request whose Host the server does not answer to,
// so that a page of another site cannot reach it through a name that
// resolves to the server's address (DNS rebinding). It answers to any IP
// address (a page reached by address has that address as its origin, so
// it cannot be a rebinding), localhost, this machine's name and its mDNS
// name (NAME.local), and the names in allowed.
func hostGuard(allowed []string) echo.MiddlewareFunc {
	names := map[string]bool{"localhost": true}
	if h, err := os.Hostname(); err == nil && h != "" {
		h = strings.ToLower(h)
		names[h] = true
		names[strings.TrimSuffix(h, ".local")+".local"] = true
	}
	for _, a := range allowed {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			names[a] = true
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !answersTo(names, c.Request().Host) {
				return controller.Errorf(controller.EFORBIDDEN,
					"this server does not answer to the name %q; open it by its address, or add the name with --allowed-hosts", c.Request().Host)
			}
			return next(c)
		}
	}
}

// answersTo reports whether host (a Host header, with or without a port)
// is one of names, an IP address, or a subdomain of localhost.
func answersTo(names map[string]bool, host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.ToLower(strings.TrimSuffix(strings.Trim(name, "[]"), "."))
	if name == "" {
		return false
	}
	if net.ParseIP(name) != nil {
		return true
	}
	return names[name] || strings.HasSuffix(name, ".localhost")
}
