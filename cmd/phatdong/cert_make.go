package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files `phatdong cert` writes in its folder.
const (
	caCertFile     = "ca.pem"
	caKeyFile      = "ca-key.pem"
	serverCertFile = "server.pem"
	serverKeyFile  = "server-key.pem"
)

// Lifetimes of the certificates. Apple's systems refuse a server
// certificate valid for more than 398 days, even from a CA the user
// trusts; the CA itself may live long, so that tablets trust it once.
const (
	caLifetime     = 10 * 365 * 24 * time.Hour
	serverLifetime = 397 * 24 * time.Hour
	// backdate covers a device whose clock is a little behind.
	backdate = time.Hour
)

// certFiles is what makeCerts wrote: the paths, the CA (new or kept) and
// the server certificate.
type certFiles struct {
	Dir               string
	CAPath, CAKeyPath string
	CertPath, KeyPath string
	CA, Server        *x509.Certificate
	CACreated         bool // false: the CA of an earlier run was kept
}

// makeCerts makes, in dir, a local CA unless one is there already, and
// always a new server certificate signed by it for names (host names and
// IP addresses, see certNames). hostname goes into the CA's name.
func makeCerts(dir, hostname string, names []string, now time.Time) (certFiles, error) {
	f := certFiles{
		Dir:    dir,
		CAPath: filepath.Join(dir, caCertFile), CAKeyPath: filepath.Join(dir, caKeyFile),
		CertPath: filepath.Join(dir, serverCertFile), KeyPath: filepath.Join(dir, serverKeyFile),
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f, fmt.Errorf("cert: %w", err)
	}
	ca, caKey, err := loadCA(f.CAPath, f.CAKeyPath, now)
	if errors.Is(err, fs.ErrNotExist) {
		ca, caKey, err = newCA(f.CAPath, f.CAKeyPath, hostname, now)
		f.CACreated = true
	}
	if err != nil {
		return f, err
	}
	f.CA = ca
	if f.Server, err = newServerCert(f.CertPath, f.KeyPath, ca, caKey, names, now); err != nil {
		return f, err
	}
	return f, nil
}

// loadCA reads the CA of an earlier run. Neither file there is
// fs.ErrNotExist; one without the other, or a CA that expired, is an error
// that says what to do, since replacing the CA means installing it again
// on every device.
func loadCA(certPath, keyPath string, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	certPEM, certErr := os.ReadFile(certPath)
	keyPEM, keyErr := os.ReadFile(keyPath)
	// Only "neither file" may read as fs.ErrNotExist: the other errors
	// keep their cause as text, or the caller would make a new CA.
	switch {
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
		return nil, nil, fs.ErrNotExist
	case certErr != nil:
		return nil, nil, fmt.Errorf("cert: the CA: %v (remove %s to make a new CA)", certErr, keyPath)
	case keyErr != nil:
		return nil, nil, fmt.Errorf("cert: the CA's key: %v (remove %s to make a new CA)", keyErr, certPath)
	}
	ca, err := parseCertPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: %s: %w", certPath, err)
	}
	key, err := parseKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: %s: %w", keyPath, err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(ca.PublicKey) {
		return nil, nil, fmt.Errorf("cert: %s is not the key of %s", keyPath, certPath)
	}
	if !ca.IsCA {
		return nil, nil, fmt.Errorf("cert: %s is not a CA certificate", certPath)
	}
	if now.After(ca.NotAfter) {
		return nil, nil, fmt.Errorf("cert: the CA %s expired on %s; move %s and %s away to make a new one (every device must then install the new CA)",
			certPath, ca.NotAfter.Format(time.DateOnly), certPath, keyPath)
	}
	return ca, key, nil
}

// newCA makes and writes a self-signed CA, ECDSA P-256, for caLifetime.
func newCA(certPath, keyPath, hostname string, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: CA key: %w", err)
	}
	serial, err := newSerial()
	if err != nil {
		return nil, nil, err
	}
	name := "phatdong CA"
	if hostname != "" {
		name += " (" + hostname + ")"
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name, Organization: []string{"phatdong"}},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true, // it signs server certificates only, no other CA
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: make the CA: %w", err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("cert: read back the CA: %w", err)
	}
	// The key first: a CA certificate without its key is useless, a key
	// without its certificate is made again.
	if err := writeKey(keyPath, key); err != nil {
		return nil, nil, err
	}
	if err := writePEM(certPath, "CERTIFICATE", der, 0o644); err != nil {
		return nil, nil, err
	}
	return ca, key, nil
}

// newServerCert makes and writes a server certificate for names, signed by
// the CA, ECDSA P-256, for serverLifetime.
func newServerCert(certPath, keyPath string, ca *x509.Certificate, caKey crypto.Signer, names []string, now time.Time) (*x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cert: server key: %w", err)
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "phatdong", Organization: []string{"phatdong"}},
		NotBefore:    now.Add(-backdate),
		NotAfter:     now.Add(-backdate).Add(serverLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if len(names) > 0 {
		tmpl.Subject.CommonName = names[0]
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("cert: make the server certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("cert: read back the server certificate: %w", err)
	}
	if err := writeKey(keyPath, key); err != nil {
		return nil, err
	}
	if err := writePEM(certPath, "CERTIFICATE", der, 0o644); err != nil {
		return nil, err
	}
	return cert, nil
}

// newSerial is a random 128-bit serial number.
func newSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("cert: serial number: %w", err)
	}
	return n, nil
}

// writeKey writes key as a PKCS #8 PEM file only its owner can read.
func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("cert: encode the key: %w", err)
	}
	return writePEM(path, "PRIVATE KEY", der, 0o600)
}

// writePEM replaces path with one PEM block, through a temporary file
// renamed into place: a crash leaves the old file or the new one, never
// half of one.
func writePEM(path, blockType string, der []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("cert: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails once renamed
	werr := pem.Encode(tmp, &pem.Block{Type: blockType, Bytes: der})
	if werr == nil {
		werr = tmp.Chmod(mode)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		return fmt.Errorf("cert: write %s: %w", path, werr)
	}
	return nil
}

// parseCertPEM reads the first certificate of a PEM file.
func parseCertPEM(data []byte) (*x509.Certificate, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no PEM certificate in the file")
		}
		if b.Type == "CERTIFICATE" {
			return x509.ParseCertificate(b.Bytes)
		}
	}
}

// parseKeyPEM reads the first private key of a PEM file (PKCS #8, or the
// EC form other tools write).
func parseKeyPEM(data []byte) (crypto.Signer, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no PEM private key in the file")
		}
		var key any
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("a %T cannot sign", key)
		}
		return signer, nil
	}
}
