package button

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ReadCAFile reads the CA a wss:// server's certificate must chain to: the
// server's ca.pem (what `phatdong cert` made), or the phatdong-ca.crt its
// /trust page offers (DER). It returns the pool for WebsocketDialer.RootCAs
// and the certificates read, each a CA.
func ReadCAFile(path string) (*x509.CertPool, []*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("button: ca: %w", err)
	}
	var certs []*x509.Certificate
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("button: ca %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		c, err := x509.ParseCertificate(data)
		if err != nil {
			return nil, nil, fmt.Errorf("button: ca %s: neither a PEM certificate nor a DER one (%v)", path, err)
		}
		certs = append(certs, c)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		if !c.IsCA {
			return nil, nil, fmt.Errorf("button: ca %s: %q is not a CA certificate (give the server's ca.pem, not server.pem)", path, c.Subject.CommonName)
		}
		pool.AddCert(c)
	}
	return pool, certs, nil
}

// Fingerprint is the SHA-256 of a certificate as upper-case hex pairs
// joined by colons, as the server's banner and /trust page show it.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// certificateProblem says in words why the server's certificate was
// refused, or "" when err is not about a certificate.
func certificateProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown):
		return "the server's certificate is not signed by a trusted CA (set ca to the server's ca.pem)"
	case errors.As(err, &host):
		return "the server's certificate does not name this address (run phatdong cert again on the server, with --hosts if needed)"
	case errors.As(err, &invalid):
		return "the server's certificate is not valid (expired, or this machine's clock is wrong)"
	case errors.As(err, &verify):
		return "the server's certificate was refused"
	}
	return ""
}
