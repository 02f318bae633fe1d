package display

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
)

// MaxCredentialBytes bounds the body of POST /api/v1/credentials.
const MaxCredentialBytes = 4 << 10

// CredentialsBody is the answer of GET /api/v1/credentials.
type CredentialsBody struct {
	Credentials []access.Credential `json:"credentials"`
}

// NewCredentialBody is the body of POST /api/v1/credentials.
type NewCredentialBody struct {
	Kind  access.Kind `json:"kind"`
	Label string      `json:"label"`
	// Button is the button id a button's key presses as.
	Button string `json:"button,omitempty"`
	// DelayMs is a venue's video-feed delay, 0..access.MaxDelayMs.
	DelayMs int64 `json:"delayMs,omitempty"`
}

// CreatedCredentialBody answers POST /api/v1/credentials: the credential
// and its secret, shown this once (the server keeps only its digest), with
// the page link that carries it, or for a venue its key and command line.
type CreatedCredentialBody struct {
	Credential access.Credential `json:"credential"`
	Secret     string            `json:"secret"`
	// Link is the path of the device's page with the secret in its
	// fragment: /mc#token=… or /button#key=…&button=…&name=…; "" for a
	// venue, which opens no page.
	Link string `json:"link,omitempty"`
	// VenueKey is a venue's "<id>:<secret>", what its server presents
	// on the leaf link.
	VenueKey string `json:"venueKey,omitempty"`
	// Command is the line a hall's technician runs on its server:
	// phatdong --venue-of ADDR[,ADDR2] --venue-key ID:SECRET --venue 'LABEL'.
	Command string `json:"command,omitempty"`
}

// RevokedCredentialBody answers DELETE /api/v1/credentials/:id.
type RevokedCredentialBody struct {
	Credential access.Credential `json:"credential"`
}

// credentialRoutes serves the credentials API, the administrator's alone.
func (s *Server) credentialRoutes(api *echo.Group) {
	admin := s.requireRole(adminOnly)
	api.GET("/credentials", s.listCredentials, noStore, admin)
	api.POST("/credentials", s.createCredential, noStore, admin)
	api.PATCH("/credentials/:id", s.patchCredential, noStore, admin)
	api.DELETE("/credentials/:id", s.revokeCredential, noStore, admin)
}

// listCredentials answers GET /api/v1/credentials.
func (s *Server) listCredentials(c echo.Context) error {
	return c.JSON(http.StatusOK, CredentialsBody{Credentials: s.auth.Registry().List()})
}

// createCredential answers POST /api/v1/credentials.
func (s *Server) createCredential(c echo.Context) error {
	body, err := readBody(c, MaxCredentialBytes)
	if err != nil {
		return err
	}
	var in NewCredentialBody
	if err := controller.DecodeJSON(body, &in); err != nil {
		return err
	}
	cred, secret, err := s.auth.Registry().New(access.Spec{Kind: in.Kind, Label: in.Label, Button: in.Button, DelayMs: in.DelayMs})
	if err != nil {
		return err
	}
	s.log.Info("credential created", "credential", cred.ID, "kind", cred.Kind, "label", cred.Label, "button", cred.Button, "by", c.RealIP())
	out := CreatedCredentialBody{Credential: cred, Secret: secret}
	if cred.Kind == access.KindVenue {
		out.VenueKey = venueKey(cred, secret)
		out.Command = venueCommand(s.venueAddrs(), out.VenueKey, cred.Label, s.trust != nil)
	} else {
		out.Link = pageLink(cred, secret)
	}
	return c.JSON(http.StatusCreated, out)
}

// pageLink is the page a credential's device opens, its secret in the
// fragment (never sent to a server, never in a log). A screen's opens
// the stage under its label (the MC's QR codes choose the page).
func pageLink(cred access.Credential, secret string) string {
	if cred.Kind == access.KindScreen {
		return "/stage" + nameQuery(cred.Label) + "#token=" + url.QueryEscape(secret)
	}
	if cred.Kind == access.KindButton {
		return "/button#key=" + url.QueryEscape(secret) + "&button=" + url.QueryEscape(cred.Button) + "&name=" + url.QueryEscape(cred.Label)
	}
	return "/mc#token=" + url.QueryEscape(secret)
}

// revokeCredential answers DELETE /api/v1/credentials/:id: the credential
// stops opening and its sockets are closed at once.
func (s *Server) revokeCredential(c echo.Context) error {
	cred, err := s.auth.Registry().Revoke(c.Param("id"))
	if err != nil {
		return err
	}
	s.log.Info("credential revoked", "credential", cred.ID, "label", cred.Label, "by", c.RealIP())
	return c.JSON(http.StatusOK, RevokedCredentialBody{Credential: cred})
}
