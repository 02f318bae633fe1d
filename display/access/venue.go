package access

import (
	"crypto/subtle"

	"github.com/phatdong/phatdong/controller"
)

// Venue reports whether secret opens the live venue credential id, and
// returns it: a district hall's server presents both on each NATS leaf
// connection. The secret is compared by its digest, in constant time.
// A use is noted as Identify notes one, without an address.
func (r *Registry) Venue(id, secret string) (Credential, bool) {
	if id == "" || secret == "" {
		return Credential{}, false
	}
	d := digest(secret)
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byID[id]
	if !ok || e.Kind != KindVenue || !e.Live() || subtle.ConstantTimeCompare(d, e.Digest) != 1 {
		return Credential{}, false
	}
	r.usedLocked(e, e.LastAddr)
	return e.Credential, true
}

// SetDelay gives the venue credential id another video-feed delay, in ms
// (0..MaxDelayMs), and returns it. An unknown id, or one of another kind,
// is ENOTFOUND; a revoked venue is ECONFLICT. A failure changes nothing.
func (r *Registry) SetDelay(id string, ms int64) (Credential, error) {
	if err := checkDelay(ms); err != nil {
		return Credential{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byID[id]
	switch {
	case !ok || e.Kind != KindVenue:
		return Credential{}, controller.Errorf(controller.ENOTFOUND, "no venue credential %q", id)
	case !e.Live():
		return Credential{}, controller.Errorf(controller.ECONFLICT, "venue credential %q was revoked", id)
	case e.DelayMs == ms:
		return e.Credential, nil
	}
	next := *e
	next.DelayMs = ms
	if err := r.replaceLocked(e, next); err != nil {
		return Credential{}, err
	}
	return e.Credential, nil
}

// checkDelay checks a venue's delay.
func checkDelay(ms int64) error {
	if ms < 0 || ms > MaxDelayMs {
		return controller.FieldError("delayMs", "is %d ms, it must be between 0 and %d", ms, MaxDelayMs)
	}
	return nil
}
