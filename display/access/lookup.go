package access

// Lookup is Identify without noting a use: what the live credential
// secret opens, for a server that only shows the secret back (a QR code
// of its link), not one that lets its holder in.
func (r *Registry) Lookup(secret string) (Identity, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.liveLocked(secret)
	if e == nil {
		return Identity{}, false
	}
	return e.identity(), true
}
