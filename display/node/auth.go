package node

import (
	"crypto/subtle"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// venueGrace is how long a venue link that passed authentication is
// remembered before the server lists it among its leaf links (the leaf
// handshake goes on after the check); a link not listed after that is
// gone and forgotten.
const venueGrace = 30 * time.Second

// authenticator is the node's one gate (server.Options
// CustomClientAuthentication), for clients and accepted leaf links alike:
//
//   - a client presenting the pairing secret as its token: full access;
//   - a leaf link as user leafUser with the pairing secret as password
//     (the standby): full access;
//   - a leaf link as a venue id with its secret, admitted when venues says
//     so: the venue's permissions (venuePermissions).
//
// Anything else is refused. It remembers which leaf connection is which
// venue, so that CloseVenue and VenueLinks can find them.
type authenticator struct {
	secret string
	venues func(id, secret string) bool // nil: no venue is admitted
	now    func() time.Time
	alive  func(cid uint64) bool // whether a leaf connection is still open; nil: unknown

	mu    sync.Mutex
	links map[uint64]venueAuth // by connection id
}

// venueAuth is a venue link that passed the check.
type venueAuth struct {
	id string
	at time.Time
}

func newAuthenticator(secret string, venues func(id, secret string) bool) *authenticator {
	return &authenticator{secret: secret, venues: venues, now: time.Now, links: make(map[uint64]venueAuth)}
}

// Check is server.Authentication's: whether c may connect, and with what
// permissions.
func (a *authenticator) Check(c server.ClientAuthentication) bool {
	opts := c.GetOpts()
	if opts == nil {
		return false
	}
	switch c.Kind() {
	case server.CLIENT:
		return same(opts.Token, a.secret)
	case server.LEAF:
		if opts.Username == leafUser {
			return same(opts.Password, a.secret)
		}
		return a.checkVenue(c, opts.Username, opts.Password)
	default:
		return false
	}
}

// checkVenue admits a venue's leaf link with its own permissions.
func (a *authenticator) checkVenue(c server.ClientAuthentication, id, secret string) bool {
	if a.venues == nil || ValidVenueID(id) != nil || secret == "" {
		return false
	}
	if !a.venues(id, secret) {
		return false
	}
	c.RegisterUser(&server.User{Username: id, Permissions: venuePermissions(id)})
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forgetClosedLocked()
	a.links[c.GetID()] = venueAuth{id: id, at: a.now()}
	return true
}

// venuePermissions are a venue leaf link's, written from the venue's side
// (the server reverses them inside the province's node for an accepted
// leaf, and sends them as they are to the venue's node, which enforces
// them too): it may publish only its own requests and receive only what
// the province publishes and the replies to its own inbox.
func venuePermissions(id string) *server.Permissions {
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: []string{VenueSubjects(id)}},
		Subscribe: &server.SubjectPermission{Allow: []string{ProvinceSubjects, VenueInbox(id) + ".>"}},
	}
}

// forgetClosedLocked drops the venue links that closed: not open any
// more and authenticated longer than venueGrace ago. a.mu is held.
func (a *authenticator) forgetClosedLocked() {
	if a.alive == nil {
		return
	}
	now := a.now()
	for cid, l := range a.links {
		if now.Sub(l.at) > venueGrace && !a.alive(cid) {
			delete(a.links, cid)
		}
	}
}

// venueLinks is a copy of the venue links remembered, closed ones
// forgotten first.
func (a *authenticator) venueLinks() map[uint64]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forgetClosedLocked()
	out := make(map[uint64]string, len(a.links))
	for cid, l := range a.links {
		out[cid] = l.id
	}
	return out
}

// forget drops the venue link cid.
func (a *authenticator) forget(cid uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.links, cid)
}

// same compares a presented secret with the expected one in constant time;
// an empty expected secret matches nothing.
func same(presented, want string) bool {
	if want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(presented), []byte(want)) == 1
}
