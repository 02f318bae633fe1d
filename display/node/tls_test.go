package node_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/node"
)

// testCA is a CA and a server certificate it signed for 127.0.0.1.
type testCA struct {
	roots  *x509.CertPool
	server tls.Certificate
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "phatdong test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "province"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return testCA{roots: roots, server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

// With certificates given, the leaf listener speaks TLS only: a hall or a
// standby that trusts the CA links, one that does not (or dials in clear)
// never does.
func TestLeafLinksOverTLS(t *testing.T) {
	ca, other := newTestCA(t), newTestCA(t)
	book := newBook("hall-1:s1", "hall-2:s2", "hall-3:s3")
	province, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Secret: testSecret, Log: quiet, Venues: book.valid,
		TLS: &tls.Config{Certificates: []tls.Certificate{ca.server}, NextProtos: []string{"http/1.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(province.Close)
	leaf := province.LeafAddr().String()
	dialVenue := func(key string, trust *tls.Config) {
		log := &syncLog{}
		n, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Secret: "the-venue's-own-secret",
			Log: slog.New(slog.NewTextHandler(log, nil)), VenueOf: []string{leaf}, VenueKey: key, RemoteTLS: trust})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(n.Close)
	}
	dialVenue("hall-1:s1", &tls.Config{RootCAs: ca.roots})
	dialVenue("hall-2:s2", nil)                               // in clear
	dialVenue("hall-3:s3", &tls.Config{RootCAs: other.roots}) // another CA
	eventually(t, "the hall that trusts the CA linked", func() bool { return linkedIDs(province) == "hall-1" })

	standby, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Secret: testSecret, Log: quiet,
		Remote: leaf, RemoteTLS: &tls.Config{RootCAs: ca.roots}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(standby.Close)
	eventually(t, "the standby linked over TLS", func() bool { return standby.LeafLinks() == 1 })
	time.Sleep(2 * time.Second) // the refused halls retry every second
	if got := linkedIDs(province); got != "hall-1" {
		t.Fatalf("linked halls %q: one in clear or trusting another CA linked", got)
	}
}
