package display

import (
	"math"
	"sync"
	"time"
)

// Defaults of the per-client limit on authenticated HTTP requests: the
// same figures as a socket's own guard (see tuning).
const (
	DefaultAPIBurst  = 40 // requests a client address may make at once
	DefaultAPIPerSec = 20 // and per second after that
)

// RateLimiter is a token bucket per client address for the HTTP routes
// that need a credential: a client may make Burst requests at once, then
// PerSec a second. It is safe for concurrent use, and remembers at most
// maxTrackedClients addresses.
type RateLimiter struct {
	// Now is the limiter's clock; tests replace it before first use.
	Now    func() time.Time
	Burst  float64
	PerSec float64

	mu      sync.Mutex
	clients map[string]*bucket
}

// bucket is one address's tokens as of at.
type bucket struct {
	tokens float64
	at     time.Time
}

// NewRateLimiter builds a limiter of burst requests at once and perSec a
// second, on the system clock.
func NewRateLimiter(burst, perSec float64) *RateLimiter {
	return &RateLimiter{Now: time.Now, Burst: burst, PerSec: perSec, clients: map[string]*bucket{}}
}

// Take takes a token for a request from ip. When there is none it
// reports false and how long until there is one.
func (l *RateLimiter) Take(ip string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	b, ok := l.clients[ip]
	if !ok {
		if len(l.clients) >= maxTrackedClients {
			l.pruneLocked(now)
		}
		b = &bucket{tokens: l.Burst, at: now}
		l.clients[ip] = b
	}
	b.tokens = l.tokensLocked(b, now)
	b.at = now
	if b.tokens < 1 {
		if l.PerSec <= 0 {
			return time.Duration(math.MaxInt64), false
		}
		return time.Duration((1 - b.tokens) / l.PerSec * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

// tokensLocked is what b holds at now.
func (l *RateLimiter) tokensLocked(b *bucket, now time.Time) float64 {
	return min(l.Burst, b.tokens+max(now.Sub(b.at).Seconds(), 0)*l.PerSec)
}

// pruneLocked forgets addresses whose bucket has filled again (a new one
// would be the same); if that frees nothing, it forgets them all rather
// than grow without bound.
func (l *RateLimiter) pruneLocked(now time.Time) {
	for ip, b := range l.clients {
		if l.tokensLocked(b, now) >= l.Burst {
			delete(l.clients, ip)
		}
	}
	if len(l.clients) >= maxTrackedClients {
		clear(l.clients)
	}
}

// retryAfter is a Retry-After header's value for a wait: whole seconds,
// at least one.
func retryAfter(wait time.Duration) int {
	return max(int(math.Ceil(wait.Seconds())), 1)
}
