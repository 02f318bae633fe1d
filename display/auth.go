package display

import (
	"sync"
	"time"

	"github.com/phatdong/phatdong/display/access"
)

// Defaults of the failed-authentication limiter.
const (
	DefaultMaxFailures = 10          // failures allowed within FailureWindow
	DefaultFailWindow  = time.Minute // the window failures are counted in
	DefaultBlockFor    = time.Minute // how long an address is refused after that
	maxTrackedClients  = 4096        // bound on the limiter's memory
)

// Auth identifies callers by their credentials (see package access) and
// limits failed attempts per client address. It is safe for concurrent
// use; the HTTP API and the websocket hub share one.
type Auth struct {
	reg *access.Registry

	// Now is the limiter's clock; tests replace it before first use.
	Now func() time.Time
	// MaxFailures failures within FailWindow block an address for BlockFor.
	MaxFailures int
	FailWindow  time.Duration
	BlockFor    time.Duration

	mu      sync.Mutex
	clients map[string]*failures
}

type failures struct {
	count        int
	windowStart  time.Time
	blockedUntil time.Time
}

// NewAuth builds an Auth over the credentials of reg.
func NewAuth(reg *access.Registry) *Auth {
	return &Auth{
		reg:         reg,
		Now:         time.Now,
		MaxFailures: DefaultMaxFailures,
		FailWindow:  DefaultFailWindow,
		BlockFor:    DefaultBlockFor,
		clients:     map[string]*failures{},
	}
}

// Identify returns the live credential secret opens, used from addr. A
// venue's secret opens nothing over HTTP or a websocket: it is refused
// as a wrong one.
func (a *Auth) Identify(secret, addr string) (access.Identity, bool) {
	id, ok := a.reg.Identify(secret, addr)
	if !ok || id.Kind == access.KindVenue {
		return access.Identity{}, false
	}
	return id, true
}

// Registry is the credentials Auth checks against.
func (a *Auth) Registry() *access.Registry { return a.reg }

// Allowed reports whether a client address may try to authenticate now.
// It is false while the address is blocked after too many failures.
func (a *Auth) Allowed(ip string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, ok := a.clients[ip]
	if !ok {
		return true
	}
	now := a.Now()
	if now.Before(f.blockedUntil) {
		return false
	}
	if !f.blockedUntil.IsZero() || now.Sub(f.windowStart) >= a.FailWindow {
		delete(a.clients, ip) // the block or the window is over: start afresh
	}
	return true
}

// Failed records a failed attempt from a client address. The MaxFailures-th
// failure within FailWindow blocks the address for BlockFor.
func (a *Auth) Failed(ip string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.Now()
	f, ok := a.clients[ip]
	if !ok || now.Sub(f.windowStart) >= a.FailWindow && !now.Before(f.blockedUntil) {
		if !ok && len(a.clients) >= maxTrackedClients {
			a.pruneLocked(now)
		}
		f = &failures{windowStart: now}
		a.clients[ip] = f
	}
	f.count++
	if f.count >= a.MaxFailures && !now.Before(f.blockedUntil) {
		f.blockedUntil = now.Add(a.BlockFor)
	}
}

// pruneLocked forgets addresses whose window and block are over; if that
// frees nothing, it forgets them all rather than grow without bound.
func (a *Auth) pruneLocked(now time.Time) {
	for ip, f := range a.clients {
		if now.Sub(f.windowStart) >= a.FailWindow && !now.Before(f.blockedUntil) {
			delete(a.clients, ip)
		}
	}
	if len(a.clients) >= maxTrackedClients {
		clear(a.clients)
	}
}
