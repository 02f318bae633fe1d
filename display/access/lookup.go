package access

import "crypto/sha256"

// Lookup is Identify without noting a use: what the live credential
// secret opens, for a server that only shows the secret back (a QR code
// of its link), not one that lets its holder in.
func (r *Registry) Lookup(secret string) (Identity, bool) {
	if secret == "" {
		return Identity{}, false
	}
	d := sha256.Sum256([]byte(secret))
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byDigest[d]
	if !ok || e.Kind == KindVenue {
		return Identity{}, false
	}
	return Identity{ID: e.ID, Kind: e.Kind, Label: e.Label, Button: e.Button, Admin: e.Admin, Shared: e.Shared}, true
}
