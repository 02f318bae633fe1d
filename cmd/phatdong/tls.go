package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/phatdong/phatdong/display"
)

// serverTLS is the server's HTTPS set-up, checked at start.
type serverTLS struct {
	config *tls.Config
	leaf   *x509.Certificate // the server's certificate
	ca     *x509.Certificate // the CA offered at /trust; nil if none
}

// checkTLSFlags refuses half a TLS set-up.
func checkTLSFlags(cfg Config) error {
	switch {
	case (cfg.TLSCert == "") != (cfg.TLSKey == ""):
		return errors.New("--tls-cert and --tls-key go together: set both (phatdong cert prints them) or neither")
	case cfg.TLSCA != "" && cfg.TLSCert == "":
		return errors.New("--tls-ca needs --tls-cert and --tls-key")
	}
	return nil
}

// loadServerTLS reads the certificate, its key and the CA named by cfg and
// checks them at now: the key must be the certificate's, the certificate
// valid now, and signed by the CA when one is given. Every problem is an
// error that names the file, so the server refuses to start rather than
// serve something no device accepts.
func loadServerTLS(cfg Config, now time.Time) (*serverTLS, error) {
	pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", cfg.TLSCert, cfg.TLSKey, err)
	}
	leaf := pair.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(pair.Certificate[0]); err != nil {
			return nil, fmt.Errorf("--tls-cert %s: %w", cfg.TLSCert, err)
		}
	}
	if err := checkValidity(leaf, now); err != nil {
		return nil, fmt.Errorf("--tls-cert %s: %w; run phatdong cert to make a new one", cfg.TLSCert, err)
	}
	t := &serverTLS{
		leaf: leaf,
		config: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{pair},
			// HTTP/1.1 only: a websocket is an HTTP/1.1 upgrade, and the
			// pages gain nothing worth a second protocol on a LAN.
			NextProtos: []string{"http/1.1"},
		},
	}
	if cfg.TLSCA == "" {
		return t, nil
	}
	data, err := os.ReadFile(cfg.TLSCA)
	if err != nil {
		return nil, fmt.Errorf("--tls-ca: %w", err)
	}
	if t.ca, err = parseCertPEM(data); err != nil {
		return nil, fmt.Errorf("--tls-ca %s: %w", cfg.TLSCA, err)
	}
	if !t.ca.IsCA {
		return nil, fmt.Errorf("--tls-ca %s: not a CA certificate", cfg.TLSCA)
	}
	if err := checkValidity(t.ca, now); err != nil {
		return nil, fmt.Errorf("--tls-ca %s: %w", cfg.TLSCA, err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(t.ca)
	inter := x509.NewCertPool()
	for _, der := range pair.Certificate[1:] {
		if c, err := x509.ParseCertificate(der); err == nil {
			inter.AddCert(c)
		}
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if _, err := leaf.Verify(opts); err != nil {
		return nil, fmt.Errorf("--tls-ca %s did not sign --tls-cert %s: %w", cfg.TLSCA, cfg.TLSCert, err)
	}
	return t, nil
}

// checkValidity says whether c is valid at now.
func checkValidity(c *x509.Certificate, now time.Time) error {
	switch {
	case now.Before(c.NotBefore):
		return fmt.Errorf("the certificate is not valid before %s (is this machine's clock right?)", c.NotBefore.Format(time.RFC3339))
	case now.After(c.NotAfter):
		return fmt.Errorf("the certificate expired on %s", c.NotAfter.Format(time.RFC3339))
	}
	return nil
}

// trustCA is the CA's DER for display.Config.TrustCA; nil without one.
func (t *serverTLS) trustCA() []byte {
	if t == nil || t.ca == nil {
		return nil
	}
	return t.ca.Raw
}

// caFingerprint is the CA's SHA-256 fingerprint, "" without one.
func (t *serverTLS) caFingerprint() string {
	if t == nil || t.ca == nil {
		return ""
	}
	return display.Fingerprint(t.ca.Raw)
}
