package display

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/protocol"
)

// getPair answers GET /api/v1/pair: the pair's servers, this one first,
// an empty list for a server alone. It is public and readable from any
// origin: pages loaded from the other server of the pair ask it which of
// the two is the primary (docs/api.md).
func (s *Server) getPair(c echo.Context) error {
	servers := s.hub.pairServers()
	if servers == nil {
		servers = []protocol.ServerInfo{}
	}
	c.Response().Header().Set(echo.HeaderAccessControlAllowOrigin, "*")
	return c.JSON(http.StatusOK, protocol.PairInfo{Servers: servers})
}

// pairServers is what HubConfig.Servers returns now; nil for a server
// alone.
func (h *Hub) pairServers() []protocol.ServerInfo {
	if h.servers == nil {
		return nil
	}
	return h.servers()
}

// pairConnectSrc lets the pages reach the pair's other server: their
// connect-src adds the origins of every server's URLs, in http(s) and
// ws(s), so a page can ask GET /api/v1/pair there and open its websocket.
// A server that may pair (Config.Servers set) but has no peer yet lets
// its pages connect to any http(s) and ws(s) server: the standby may join
// after a screen loaded, and the policy is fixed at load (the servers
// message then tells the page where the standby is). A server that never
// pairs keeps the policy of securityHeaders as it is, and so do the
// answers that are no page (the API, the websocket).
func (s *Server) pairConnectSrc(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if path := c.Request().URL.Path; strings.HasPrefix(path, "/api/") || path == "/ws" || s.hub.servers == nil {
			return next(c)
		}
		extra := connectSources(s.hub.pairServers())
		if extra == "" {
			extra = pairableSources
		}
		if extra != "" {
			policy := strings.Replace(contentSecurityPolicy, "connect-src 'self'", "connect-src 'self' "+extra, 1)
			c.Response().Header().Set(echo.HeaderContentSecurityPolicy, policy)
		}
		return next(c)
	}
}

// pairableSources are the connect-src sources of a page of a server that
// may pair and has no peer yet: any server, by scheme.
const pairableSources = "http: https: ws: wss:"

// connectSources lists the servers' origins as CSP sources, each in its
// http(s) and ws(s) form, separated by spaces; "" when there are none.
func connectSources(servers []protocol.ServerInfo) string {
	seen := map[string]bool{}
	var out []string
	for _, sv := range servers {
		for _, raw := range sv.URLs {
			scheme, host, ok := originOf(raw)
			if !ok {
				continue
			}
			ws := "ws"
			if scheme == "https" {
				ws = "wss"
			}
			for _, src := range []string{scheme + "://" + host, ws + "://" + host} {
				if !seen[src] {
					seen[src] = true
					out = append(out, src)
				}
			}
		}
	}
	return strings.Join(out, " ")
}

// pairOrigin reports whether origin (a request's Origin header) is the
// origin of one of the servers' URLs.
func pairOrigin(servers []protocol.ServerInfo, origin string) bool {
	scheme, host, ok := originOf(origin)
	if !ok {
		return false
	}
	for _, sv := range servers {
		for _, raw := range sv.URLs {
			if s, h, ok := originOf(raw); ok && s == scheme && h == host {
				return true
			}
		}
	}
	return false
}

// originOf is the scheme (http or https) and host[:port] of a base URL,
// lower case, without a default port. It refuses anything else, and any
// host with a character that has no place in a name or an address (it
// goes into a header).
func originOf(raw string) (scheme, host string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.User != nil {
		return "", "", false
	}
	scheme, host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if scheme != "http" && scheme != "https" {
		return "", "", false
	}
	if strings.IndexFunc(host, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]", r))
	}) >= 0 {
		return "", "", false
	}
	if port := u.Port(); scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		host = strings.TrimSuffix(host, ":"+port)
	}
	return scheme, host, true
}
