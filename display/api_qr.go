package display

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/qr"
)

// Bounds of POST /api/v1/qr.
const (
	MaxQRBytes    = 2 << 10 // its body
	DefaultQRSize = 320     // pixels, when the body names none
	MinQRSize     = 128
	MaxQRSize     = 1024
)

// QRLinkHeader carries, in the answer of POST /api/v1/qr, the link its
// code opens, for the page to show under the code.
const QRLinkHeader = "Phatdong-Link"

// QRBody is the body of POST /api/v1/qr: the page of this server a
// device opens, the name it shows itself by, and the secret of the
// credential it opens with ("" for a screen that is not paired).
type QRBody struct {
	Path   string `json:"path"`
	Name   string `json:"name,omitempty"`
	Secret string `json:"secret,omitempty"`
	Size   int    `json:"size,omitempty"`
}

// connectRoutes serves what pairs and finds devices: QR codes of their
// links and identify (docs/pairing.md).
func (s *Server) connectRoutes(api *echo.Group) {
	api.POST("/qr", s.postQR, noStore, s.requireRole(operatorsOnly))
	api.POST("/identify", s.postIdentify, noStore, s.requireRole(operatorsOnly))
}

// postQR answers POST /api/v1/qr with a PNG of the link, and the link in
// the Phatdong-Link header. The link's origin is qrOrigin's.
func (s *Server) postQR(c echo.Context) error {
	data, err := readBody(c, MaxQRBytes)
	if err != nil {
		return err
	}
	var in QRBody
	if err := controller.DecodeJSON(data, &in); err != nil {
		return err
	}
	link, err := s.qrLink(in)
	if err != nil {
		return err
	}
	size := in.Size
	switch {
	case size == 0:
		size = DefaultQRSize
	case size < MinQRSize || size > MaxQRSize:
		return controller.FieldError("size", "must be between %d and %d pixels, or absent", MinQRSize, MaxQRSize)
	}
	full := s.qrOrigin(c) + link
	png, err := qr.PNG(full, size)
	if err != nil {
		return controller.FieldError("path", "cannot be drawn as a QR code: %v", err)
	}
	c.Response().Header().Set(QRLinkHeader, full)
	return c.Blob(http.StatusOK, "image/png", png)
}

// qrOrigin is the scheme://host[:port] a code's link starts with: the one
// the caller reached this server at, unless that is a loopback address
// (the MC opened on the server's own laptop) and the server knows one
// other devices reach (Config.BaseURLs): then the first such.
func (s *Server) qrOrigin(c echo.Context) string {
	origin := c.Scheme() + "://" + c.Request().Host
	if s.bases == nil || !loopbackHost(c.Request().Host) {
		return origin
	}
	for _, b := range s.bases() {
		if u, err := url.Parse(b); err == nil && u.Host != "" && !loopbackHost(u.Host) {
			return strings.TrimSuffix(b, "/")
		}
	}
	return origin
}

// loopbackHost reports whether host[:port] names this machine only.
func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = strings.Trim(hostport, "[]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// qrPages are the pages a credential of each kind opens; a link with no
// secret may open any page.
var qrPages = map[access.Kind][]string{
	access.KindOperator: {"/mc", "/edit"},
	access.KindButton:   {"/button"},
	access.KindScreen:   {"/stage", "/presenter"},
}

// qrLink checks in and builds the path, query and fragment of its link:
// the secret in the fragment (never sent to a server, never logged), the
// name in the query of a screen or the fragment of a button.
func (s *Server) qrLink(in QRBody) (string, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := checkText("name", in.Name, controller.MaxTitleLen); err != nil {
		return "", err
	}
	if !isPage(in.Path) {
		return "", controller.FieldError("path", "%q is no page of this server: use /stage, /presenter, /mc, /edit or /button", in.Path)
	}
	if in.Secret == "" {
		return in.Path + nameQuery(in.Name), nil
	}
	id, ok := s.auth.Registry().Lookup(in.Secret)
	if !ok {
		return "", controller.FieldError("secret", "opens no live credential: it is wrong or was revoked")
	}
	allowed := qrPages[id.Kind]
	if !slices.Contains(allowed, in.Path) {
		return "", controller.FieldError("path", "a %s credential opens %s, not %s", id.Kind, strings.Join(allowed, " or "), in.Path)
	}
	secret := url.QueryEscape(in.Secret)
	switch id.Kind {
	case access.KindButton:
		name := in.Name
		if name == "" {
			name = id.Label
		}
		return in.Path + "#key=" + secret + "&button=" + url.QueryEscape(id.Button) + "&name=" + url.QueryEscape(name), nil
	case access.KindScreen:
		name := in.Name
		if name == "" {
			name = id.Label
		}
		return in.Path + nameQuery(name) + "#token=" + secret, nil
	}
	return in.Path + "#token=" + secret, nil
}

// isPage reports whether path is one of Pages.
func isPage(path string) bool {
	return slices.ContainsFunc(Pages, func(p Page) bool { return p.Path == path })
}

// nameQuery is "?name=…", or "" for no name.
func nameQuery(name string) string {
	if name == "" {
		return ""
	}
	return "?name=" + url.QueryEscape(name)
}
