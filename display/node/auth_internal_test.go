package node

import (
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// fakeConn is a connection presenting its credentials to the authenticator.
type fakeConn struct {
	kind int
	id   uint64
	opts server.ClientOpts
	user *server.User // what the authenticator registered
}

func (f *fakeConn) GetOpts() *server.ClientOpts                 { return &f.opts }
func (f *fakeConn) GetTLSConnectionState() *tls.ConnectionState { return nil }
func (f *fakeConn) RegisterUser(u *server.User)                 { f.user = u }
func (f *fakeConn) RemoteAddress() net.Addr                     { return nil }
func (f *fakeConn) GetNonce() []byte                            { return nil }
func (f *fakeConn) Kind() int                                   { return f.kind }
func (f *fakeConn) GetID() uint64                               { return f.id }

func TestTheAuthenticatorsRules(t *testing.T) {
	venues := func(id, secret string) bool { return id == "hall-1" && secret == "s1" }
	tests := []struct {
		name     string
		conn     fakeConn
		ok       bool
		venueFor string // the venue whose permissions are registered, "" for full access
	}{
		{"client with the token", fakeConn{kind: server.CLIENT, opts: server.ClientOpts{Token: "pair"}}, true, ""},
		{"client with a wrong token", fakeConn{kind: server.CLIENT, opts: server.ClientOpts{Token: "nope"}}, false, ""},
		{"client with the secret as password", fakeConn{kind: server.CLIENT, opts: server.ClientOpts{Username: leafUser, Password: "pair"}}, false, ""},
		{"client with a venue key", fakeConn{kind: server.CLIENT, opts: server.ClientOpts{Username: "hall-1", Password: "s1"}}, false, ""},
		{"standby leaf", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: leafUser, Password: "pair"}}, true, ""},
		{"standby leaf, wrong password", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: leafUser, Password: "s1"}}, false, ""},
		{"leaf with the token only", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Token: "pair"}}, false, ""},
		{"venue leaf", fakeConn{kind: server.LEAF, id: 7, opts: server.ClientOpts{Username: "hall-1", Password: "s1"}}, true, "hall-1"},
		{"venue leaf, wrong secret", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: "hall-1", Password: "s2"}}, false, ""},
		{"venue leaf, unknown id", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: "hall-2", Password: "s1"}}, false, ""},
		{"venue leaf, id with a dot", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: "hall-1.x", Password: "s1"}}, false, ""},
		{"venue id with the pairing secret", fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: "hall-1", Password: "pair"}}, false, ""},
		{"route", fakeConn{kind: server.ROUTER, opts: server.ClientOpts{Token: "pair"}}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthenticator("pair", venues)
			c := tc.conn
			if got := a.Check(&c); got != tc.ok {
				t.Fatalf("Check = %v, want %v", got, tc.ok)
			}
			links := a.venueLinks()
			if tc.venueFor == "" {
				if c.user != nil && c.user.Permissions != nil {
					t.Fatalf("registered permissions %+v, want full access", c.user.Permissions)
				}
				if len(links) != 0 {
					t.Fatalf("remembered %v, want no venue link", links)
				}
				return
			}
			if c.user == nil || c.user.Username != tc.venueFor || c.user.Permissions == nil {
				t.Fatalf("registered %+v, want %s's permissions", c.user, tc.venueFor)
			}
			if links[c.id] != tc.venueFor {
				t.Fatalf("remembered %v, want link %d of %s", links, c.id, tc.venueFor)
			}
		})
	}
}

func TestNoVenuesAdmitsNoVenue(t *testing.T) {
	a := newAuthenticator("pair", nil)
	c := fakeConn{kind: server.LEAF, opts: server.ClientOpts{Username: "hall-1", Password: "s1"}}
	if a.Check(&c) {
		t.Fatal("a venue was admitted with Venues nil")
	}
}

func TestClosedVenueLinksAreForgotten(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	open := map[uint64]bool{1: true, 2: true}
	a := newAuthenticator("pair", func(string, string) bool { return true })
	a.now = func() time.Time { return now }
	a.alive = func(cid uint64) bool { return open[cid] }
	for cid := uint64(1); cid <= 3; cid++ {
		if !a.Check(&fakeConn{kind: server.LEAF, id: cid, opts: server.ClientOpts{Username: "hall-1", Password: "s"}}) {
			t.Fatal("refused")
		}
	}
	if got := len(a.venueLinks()); got != 3 {
		t.Fatalf("%d links remembered, want 3 (3 is not listed yet, within the grace)", got)
	}
	now = now.Add(venueGrace + time.Second)
	open[2] = false
	got := a.venueLinks()
	if len(got) != 1 || got[1] != "hall-1" {
		t.Fatalf("remembered %v, want only the open link 1", got)
	}
}

func TestParseVenueKey(t *testing.T) {
	tests := []struct {
		key, id, secret string
		ok              bool
	}{
		{"hall-1:s3cret", "hall-1", "s3cret", true},
		{"hall_2:a:b", "hall_2", "a:b", true},
		{"hall-1", "", "", false},
		{":secret", "", "", false},
		{"hall-1:", "", "", false},
		{"hall.1:secret", "", "", false},
		{"hall*:secret", "", "", false},
		{"phatdong:secret", "", "", false},
		{"điểm-cầu:secret", "", "", false},
	}
	for _, tc := range tests {
		id, secret, err := ParseVenueKey(tc.key)
		if (err == nil) != tc.ok || id != tc.id || secret != tc.secret {
			t.Errorf("ParseVenueKey(%q) = %q, %q, %v; want %q, %q, ok %v", tc.key, id, secret, err, tc.id, tc.secret, tc.ok)
		}
	}
}

func TestLeafOptionsRules(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"nothing", Config{Secret: "pair"}, true},
		{"standby", Config{Secret: "pair", Remote: "10.0.0.1:7422"}, true},
		{"venue", Config{Secret: "pair", VenueOf: []string{"10.0.0.1:7422", "10.0.0.2:7422"}, VenueKey: "hall-1:s"}, true},
		{"both", Config{Secret: "pair", Remote: "10.0.0.1:7422", VenueOf: []string{"10.0.0.1:7422"}, VenueKey: "hall-1:s"}, false},
		{"venue without key", Config{Secret: "pair", VenueOf: []string{"10.0.0.1:7422"}}, false},
		{"key without venue", Config{Secret: "pair", VenueKey: "hall-1:s"}, false},
		{"venue address without port", Config{Secret: "pair", VenueOf: []string{"10.0.0.1"}, VenueKey: "hall-1:s"}, false},
		{"remote without host", Config{Secret: "pair", Remote: ":7422"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := leafOptions(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}
