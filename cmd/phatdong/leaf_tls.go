package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"
)

// The leaf links between servers (a standby to its primary, a hall to the
// province) speak TLS where certificates are given: a server with
// --tls-cert takes leaf links over TLS only, with its certificate; a
// standby dials its primary trusting its own --tls-ca (the pair shares one
// CA, made by phatdong cert); a hall dials the province trusting
// --venue-ca (the province's CA, as /trust/ca.crt serves it).

// leafListenerTLS is the TLS of this server's leaf listener; nil in clear.
func (t *serverTLS) leafListenerTLS() *tls.Config {
	if t == nil {
		return nil
	}
	return t.config
}

// leafRemoteTLS is the TLS of the leaf link this server dials; nil in
// clear: a hall's --venue-ca, or a standby's own --tls-ca.
func leafRemoteTLS(cfg Config, t *serverTLS, now time.Time) (*tls.Config, error) {
	switch {
	case len(cfg.VenueOf) > 0 && cfg.VenueCA != "":
		ca, err := readCA(cfg.VenueCA, now)
		if err != nil {
			return nil, fmt.Errorf("--venue-ca %s: %w", cfg.VenueCA, err)
		}
		roots := x509.NewCertPool()
		roots.AddCert(ca)
		return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, nil
	case cfg.StandbyOf != "" && t != nil && t.ca != nil:
		roots := x509.NewCertPool()
		roots.AddCert(t.ca)
		return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, nil
	}
	return nil, nil
}

// readCA reads a CA certificate, PEM (ca.pem) or DER (/trust/ca.crt),
// valid at now.
func readCA(path string, now time.Time) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ca *x509.Certificate
	if bytes.Contains(data, []byte("-----BEGIN")) {
		ca, err = parseCertPEM(data)
	} else {
		ca, err = x509.ParseCertificate(data)
	}
	if err != nil {
		return nil, err
	}
	if !ca.IsCA {
		return nil, fmt.Errorf("not a CA certificate")
	}
	if err := checkValidity(ca, now); err != nil {
		return nil, err
	}
	return ca, nil
}
