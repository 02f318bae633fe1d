package display

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
)

// VenuePlaceholder stands for the province's leaf address in a venue's
// command line when the server knows none (Config.VenueOf).
const VenuePlaceholder = "HOST:7422"

// CredentialPatchBody is the body of PATCH /api/v1/credentials/:id: a
// venue's new video-feed delay, 0..access.MaxDelayMs.
type CredentialPatchBody struct {
	DelayMs *int64 `json:"delayMs"`
}

// CredentialBody answers PATCH /api/v1/credentials/:id.
type CredentialBody struct {
	Credential access.Credential `json:"credential"`
}

// patchCredential answers PATCH /api/v1/credentials/:id: a venue's delay.
func (s *Server) patchCredential(c echo.Context) error {
	body, err := readBody(c, MaxCredentialBytes)
	if err != nil {
		return err
	}
	var in CredentialPatchBody
	if err := controller.DecodeJSON(body, &in); err != nil {
		return err
	}
	if in.DelayMs == nil {
		return controller.FieldError("delayMs", "nothing to change: give the venue's delayMs")
	}
	cred, err := s.auth.Registry().SetDelay(c.Param("id"), *in.DelayMs)
	if err != nil {
		return err
	}
	s.log.Info("venue delay set", "credential", cred.ID, "label", cred.Label, "delayMs", cred.DelayMs, "by", c.RealIP())
	return c.JSON(http.StatusOK, CredentialBody{Credential: cred})
}

// venueAddrs are the leaf addresses a hall dials, or the placeholder.
func (s *Server) venueAddrs() []string {
	var addrs []string
	if s.venueOf != nil {
		for _, a := range s.venueOf() {
			if a = strings.TrimSpace(a); a != "" {
				addrs = append(addrs, a)
			}
		}
	}
	if len(addrs) == 0 {
		return []string{VenuePlaceholder}
	}
	return addrs
}

// venueKey is what a venue's server presents: "<id>:<secret>".
func venueKey(cred access.Credential, secret string) string {
	return cred.ID + ":" + secret
}

// venueCommand is the line a hall's technician runs on its server. Over
// TLS (the province's certificate has a CA), the hall must trust the CA:
// the file /trust/ca.crt serves, saved as ca.pem next to the hall's server.
func venueCommand(addrs []string, key, label string, tls bool) string {
	line := "phatdong --venue-of " + shellQuote(strings.Join(addrs, ",")) +
		" --venue-key " + shellQuote(key) + " --venue " + shellQuote(label)
	if tls {
		line += " --venue-ca ca.pem"
	}
	return line
}

// shellQuote quotes s for a POSIX shell: bare when every byte is safe,
// otherwise in single quotes, a single quote inside closing the quotes,
// escaped with a backslash, and reopening them.
func shellQuote(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		b := s[i]
		safe = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			strings.IndexByte("@%+=:,./_-", b) >= 0
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
