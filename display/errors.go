package display

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// Error codes only the transport raises, in the same *controller.Error
// as the domain's codes (controller.EINVALID…) and with the same JSON shape;
// their strings are the protocol's.
const (
	EUNAUTHORIZED = protocol.CodeUnauthorized // missing or wrong credentials
	ETOOLARGE     = protocol.CodeTooLarge     // a body or message over its limit
	ERATELIMITED  = protocol.CodeRateLimited  // too many messages or failed attempts
	EUNAVAILABLE  = protocol.CodeUnavailable  // the server is shutting down, or the store cannot be read
)

// Status is the one mapping from a controller error code to an HTTP status.
// Every handler and middleware of the API goes through it.
func Status(code string) int {
	for _, p := range statusOfCode {
		if p.code == code {
			return p.status
		}
	}
	return http.StatusInternalServerError
}

// statusOfCode pairs each error code with its HTTP status; where several
// codes share a status, the first is the one codeForStatus picks.
var statusOfCode = []struct {
	code   string
	status int
}{
	{controller.EINVALID, http.StatusBadRequest},
	{controller.ENOTFOUND, http.StatusNotFound},
	{controller.ECONFLICT, http.StatusConflict},
	{controller.ENOTARMED, http.StatusConflict},
	{controller.EDUPLICATE, http.StatusConflict},
	{EUNAUTHORIZED, http.StatusUnauthorized},
	{controller.EFORBIDDEN, http.StatusForbidden},
	{ETOOLARGE, http.StatusRequestEntityTooLarge},
	{ERATELIMITED, http.StatusTooManyRequests},
	{EUNAVAILABLE, http.StatusServiceUnavailable},
	{controller.ENOTPRIMARY, http.StatusServiceUnavailable}, // ask the primary
}

// codeForStatus is the reverse, for errors raised by Echo itself (an
// unknown route, a wrong method) so they get the same error object.
func codeForStatus(status int) string {
	switch status {
	case http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType:
		return controller.EINVALID
	}
	for _, p := range statusOfCode {
		if p.status == status {
			return p.code
		}
	}
	return controller.EINTERNAL
}

// ErrorBody is the JSON shape of every error answer:
// {"error":{"code":"...","message":"...","field":"..."}}.
type ErrorBody struct {
	Error *controller.Error `json:"error"`
}

// asDomainError turns any error into a *controller.Error fit to show a
// client, and the status to answer it with. Internal details never leak.
func asDomainError(err error) (*controller.Error, int) {
	var de *controller.Error
	if errors.As(err, &de) {
		if de.Code == controller.EINTERNAL || Status(de.Code) == http.StatusInternalServerError {
			return &controller.Error{Code: controller.EINTERNAL, Message: "internal error"}, http.StatusInternalServerError
		}
		return de, Status(de.Code)
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code := codeForStatus(he.Code)
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && code != controller.EINTERNAL {
			msg = s
		}
		return &controller.Error{Code: code, Message: msg}, he.Code
	}
	return &controller.Error{Code: controller.EINTERNAL, Message: "internal error"}, http.StatusInternalServerError
}

// serverFault reports whether an answer's status is the server's fault: a
// 5xx but 503, which says "not here, not now" (shutting down, or a standby
// asked for a command).
func serverFault(status int) bool {
	return status >= http.StatusInternalServerError && status != http.StatusServiceUnavailable
}

// errorHandler is Echo's HTTPErrorHandler: it answers every error with the
// error object and logs the ones that are the server's fault.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		de, status := asDomainError(err)
		if serverFault(status) {
			log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
		if status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="phatdong"`)
		}
		var werr error
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, ErrorBody{Error: de})
		}
		if werr != nil {
			log.Warn("write error answer", "err", werr)
		}
	}
}
