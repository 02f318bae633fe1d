package display

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/hub"
)

// ServeWS upgrades GET /ws to a websocket (docs/protocol.md). A handshake
// from a page of another origin is refused with 403. The socket is then
// served by its own goroutine and the handler returns, so the request's
// goroutine and buffers are released at once.
func (h *Hub) ServeWS(c echo.Context) error {
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if closed {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "the server is shutting down")
	}
	conn, err := h.upgrader.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		// The upgrader has answered the request already.
		h.log.Debug("websocket handshake refused", "ip", c.RealIP(), "err", err)
		return nil
	}
	h.metrics.connections.Inc()
	if h.tune.sndBuf > 0 {
		if tc, ok := conn.NetConn().(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(h.tune.sndBuf)
		}
	}
	addr := c.RealIP()
	_, err = h.ws.Attach(conn, func(hc *hub.Client) any {
		id := "c" + strconv.FormatUint(h.nextID.Add(1), 10)
		cl := &client{hub: h, hc: hc, id: id, addr: addr, connectedAt: time.Now()}
		cl.guard = guard{tokens: h.tune.rateBurst, at: cl.connectedAt}
		return cl
	})
	if err != nil && !errors.Is(err, hub.ErrClosed) {
		h.log.Warn("attach a websocket", "err", err)
	}
	return nil
}

// refuseHandshake answers a refused websocket handshake with the error
// object every other refusal gets (the upgrader's Error).
func refuseHandshake(w http.ResponseWriter, _ *http.Request, status int, reason error) {
	code := codeForStatus(status)
	msg := "the websocket handshake was refused: " + strings.TrimPrefix(reason.Error(), "websocket: ")
	if code == controller.EINTERNAL {
		msg = "internal error"
	}
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ErrorBody{Error: &controller.Error{Code: code, Message: msg}})
}

// checkOrigin accepts a handshake without an Origin header (not a
// browser: the button agent, the load tool), from a page of this very
// host, from an origin of the configured list, or from a page of one of
// the pair's servers (HubConfig.Servers, as they are now): a page loaded
// from the other server follows the primary here.
func (h *Hub) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	if h.origins[strings.ToLower(origin)] || h.origins[strings.ToLower(u.Host)] {
		return true
	}
	return pairOrigin(h.pairServers(), origin)
}
