package display

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// TrustPage explains, device by device, how to install and trust the CA of
// a server on HTTPS. It is served, and listed on the index, only when
// Config.TrustCA is set.
var TrustPage = Page{"/trust", "trust.html", "Cài chứng chỉ HTTPS của máy chủ lên thiết bị"}

// TrustCAPath serves the CA certificate itself (DER), as a download.
const TrustCAPath = "/trust/ca.crt"

// trustCAFile is the name a device saves the CA under.
const trustCAFile = "phatdong-ca.crt"

// Fingerprint is the SHA-256 of a certificate's DER as upper-case hex
// pairs joined by colons, the form devices show next to a certificate.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", c)
	}
	return b.String()
}

// trust is the CA offered to devices, and its page rendered once.
type trust struct {
	der  []byte
	page []byte // nil when the pages have no trust.html
}

// trustPageData is what trust.html shows.
type trustPageData struct {
	Name        string // the CA's common name, as devices list it
	Fingerprint string
	// FingerprintParts is Fingerprint in four parts of eight bytes, each
	// but the last ending with its colon, so that a phone wraps the line
	// between parts and never inside a pair.
	FingerprintParts []string
	NotAfter         string // dd/mm/yyyy
	Download         string // TrustCAPath
	File             string // trustCAFile
}

// newTrust checks that der is a CA certificate and renders the trust page
// (an html/template) from pages, if it is there.
func newTrust(der []byte, pages fs.FS) (*trust, error) {
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("display: TrustCA: %w", err)
	}
	if !ca.IsCA {
		return nil, errors.New("display: TrustCA: not a CA certificate")
	}
	t := &trust{der: bytes.Clone(der)}
	if pages == nil {
		return t, nil
	}
	src, err := fs.ReadFile(pages, TrustPage.File)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("display: read %s: %w", TrustPage.File, err)
	}
	tmpl, err := template.New(TrustPage.File).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("display: %w", err)
	}
	name := ca.Subject.CommonName
	if name == "" {
		name = ca.Subject.String()
	}
	fp := Fingerprint(der)
	var out bytes.Buffer
	err = tmpl.Execute(&out, trustPageData{
		Name: name, Fingerprint: fp, FingerprintParts: []string{fp[0:24], fp[24:48], fp[48:72], fp[72:]},
		NotAfter: ca.NotAfter.Format("02/01/2006"), Download: TrustCAPath, File: trustCAFile,
	})
	if err != nil {
		return nil, fmt.Errorf("display: %w", err)
	}
	t.page = out.Bytes()
	return t, nil
}

// trustRoutes serves the page and the CA; without a CA neither route
// exists, and both answer the usual not_found error object.
func (s *Server) trustRoutes() {
	if s.trust == nil {
		return
	}
	if s.trust.page != nil {
		s.echo.GET(TrustPage.Path, s.getTrustPage)
	}
	s.echo.GET(TrustCAPath, s.getTrustCA)
}

func (s *Server) getTrustPage(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	return c.HTMLBlob(http.StatusOK, s.trust.page)
}

// getTrustCA serves the CA as a file to save and open: the type makes
// iOS offer it as a profile, Android and Windows as a certificate.
func (s *Server) getTrustCA(c echo.Context) error {
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-cache")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+trustCAFile+`"`)
	return c.Blob(http.StatusOK, "application/x-x509-ca-cert", s.trust.der)
}

// trustListed says whether the index lists the trust page.
func (s *Server) trustListed() bool { return s.trust != nil && s.trust.page != nil }
