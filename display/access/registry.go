package access

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/phatdong/phatdong/controller"
)

// Store keeps the credential records; the server's bbolt store implements
// it. Records are opaque to the store.
type Store interface {
	Credentials() ([][]byte, error)
	PutCredential(id string, record []byte) error
}

// Options build a Registry.
type Options struct {
	// Store keeps the records; nil keeps them in memory only.
	Store Store
	// Admin is the administrator's token (required).
	Admin string
	// Shared is the shared button key of an older database, "" for none.
	Shared string
	// ForgetShared removes the shared key from the store when it is
	// revoked; nil when there is nothing to remove.
	ForgetShared func() error
	// Now is the clock of created and last-used times; nil is time.Now.
	Now func() time.Time
	// ServerID is this server's id in a primary/standby pair, "" when it
	// is in none. Export names this server's administrator's token
	// AdminIDOf(ServerID), and Import skips that id: it is this server's
	// own. Export needs it.
	ServerID string
	// Log receives what Import could not reconcile; nil is slog.Default().
	Log *slog.Logger
}

// lastUseEvery is how stale a stored last-use time may grow: a credential
// used all evening is written once a minute, not on every request.
const lastUseEvery = time.Minute

// Registry checks secrets against the credentials and manages them. It is
// safe for concurrent use.
type Registry struct {
	store        Store
	forgetShared func() error
	now          func() time.Time
	serverID     string
	log          *slog.Logger

	mu       sync.Mutex
	byID     map[string]*entry
	byDigest map[[sha256.Size]byte]*entry
	revoked  []func(Credential)
	exported *exported // Export's answer; nil when something changed since
}

// entry is a credential and its secret's digest, as stored.
type entry struct {
	Credential
	Digest []byte            `json:"digest"`
	key    [sha256.Size]byte // Digest as a map key
	stored int64             // LastUsedAt as last written
}

// Open loads the credentials of opts.Store.
func Open(opts Options) (*Registry, error) {
	if opts.Admin == "" {
		return nil, fmt.Errorf("access: the administrator's token is empty")
	}
	r := &Registry{
		store: opts.Store, forgetShared: opts.ForgetShared, now: opts.Now,
		serverID: opts.ServerID, log: opts.Log,
		byID: map[string]*entry{}, byDigest: map[[sha256.Size]byte]*entry{},
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	r.add(&entry{Credential: Credential{ID: AdminID, Kind: KindOperator, Label: "Quản trị viên", Admin: true}, Digest: digest(opts.Admin)})
	if opts.Shared != "" {
		r.add(&entry{Credential: Credential{ID: SharedID, Kind: KindButton, Label: "Khoá nút bấm dùng chung (kiểu cũ)", Button: SharedButton, Shared: true}, Digest: digest(opts.Shared)})
	}
	if r.store == nil {
		return r, nil
	}
	records, err := r.store.Credentials()
	if err != nil {
		return nil, fmt.Errorf("access: load credentials: %w", err)
	}
	for _, data := range records {
		e := &entry{}
		if err := json.Unmarshal(data, e); err != nil {
			return nil, fmt.Errorf("access: a stored credential is corrupt: %w", err)
		}
		if len(e.Digest) != sha256.Size || e.ID == "" {
			return nil, fmt.Errorf("access: a stored credential is corrupt (id %q)", e.ID)
		}
		if e.ID == SharedID && opts.Shared != "" {
			continue // the key the server was given wins over a stored record of one
		}
		e.stored = e.LastUsedAt
		r.add(e)
	}
	return r, nil
}

// add adds e, new. Of two live credentials with one secret (two servers
// given the same administrator's token), the first added opens.
func (r *Registry) add(e *entry) {
	e.key = [sha256.Size]byte(e.Digest)
	r.byID[e.ID] = e
	if _, taken := r.byDigest[e.key]; e.Live() && !taken {
		r.byDigest[e.key] = e
	}
	r.exported = nil
}

// replaceLocked makes e next (the same id): stored first, then, when the
// shared key is revoked, forgotten, then changed in memory. A failed write
// changes nothing here.
func (r *Registry) replaceLocked(e *entry, next entry) error {
	next.key = [sha256.Size]byte(next.Digest)
	if err := r.putLocked(&next); err != nil {
		return err
	}
	if e.Shared && e.Live() && !next.Live() && r.forgetShared != nil {
		if err := r.forgetShared(); err != nil {
			return fmt.Errorf("access: forget the shared key: %w", err)
		}
	}
	if r.byDigest[e.key] == e {
		delete(r.byDigest, e.key)
	}
	*e = next
	if _, taken := r.byDigest[e.key]; e.Live() && !taken {
		r.byDigest[e.key] = e
	}
	r.exported = nil
	return nil
}

func digest(secret string) []byte {
	d := sha256.Sum256([]byte(secret))
	return d[:]
}

// Identify returns the live credential secret opens, and notes its use
// from addr. The lookup is by the secret's digest, so its time tells
// nothing of the secret. A venue's secret opens nothing here: it opens
// only a leaf link, through Venue.
func (r *Registry) Identify(secret, addr string) (Identity, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.liveLocked(secret)
	if e == nil {
		return Identity{}, false
	}
	r.usedLocked(e, addr)
	return e.identity(), true
}

// liveLocked is the live credential secret opens on HTTP and the
// websocket, nil for none (a venue's secret opens neither).
func (r *Registry) liveLocked(secret string) *entry {
	if secret == "" {
		return nil
	}
	e, ok := r.byDigest[sha256.Sum256([]byte(secret))]
	if !ok || e.Kind == KindVenue {
		return nil
	}
	return e
}

// identity is what e lets its holder be.
func (e *entry) identity() Identity {
	return Identity{ID: e.ID, Kind: e.Kind, Label: e.Label, Button: e.Button, Admin: e.Admin, Shared: e.Shared}
}

// usedLocked notes a use of e from addr, stored at most once a
// lastUseEvery.
func (r *Registry) usedLocked(e *entry, addr string) {
	now := r.now().UnixMilli()
	e.LastUsedAt, e.LastAddr = now, addr
	if !e.Admin && !e.Shared && time.Duration(now-e.stored)*time.Millisecond >= lastUseEvery {
		if err := r.putLocked(e); err == nil {
			e.stored = now
		} // a failed write loses only a last-use time; the next use retries
	}
}

// List returns every credential: the administrator's, the shared key when
// there is one, then the others in the order they were made.
func (r *Registry) List() []Credential {
	r.mu.Lock()
	out := make([]Credential, 0, len(r.byID))
	for _, e := range r.byID {
		if e.Shared && !e.Live() {
			continue // kept only so the pair learns it was revoked
		}
		out = append(out, e.Credential)
	}
	r.mu.Unlock()
	rank := func(c Credential) int {
		switch {
		case c.Admin:
			return 0
		case c.Shared:
			return 1
		}
		return 2
	}
	slices.SortFunc(out, func(a, b Credential) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Opens reports whether the credential id still opens.
func (r *Registry) Opens(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byID[id]
	return ok && e.Live()
}

// SharedLive reports whether the shared button key still opens.
func (r *Registry) SharedLive() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.byID[SharedID]
	return ok && e.Live()
}

// Spec describes a credential to make (Registry.New).
type Spec struct {
	Kind  Kind
	Label string
	// Button is the button id a button credential presses as.
	Button string
	// DelayMs is a venue's video-feed delay, 0..MaxDelayMs.
	DelayMs int64
}

// Create makes a credential and returns it with its secret, which is not
// kept: it is shown to the administrator once.
func (r *Registry) Create(kind Kind, label, button string) (Credential, string, error) {
	return r.New(Spec{Kind: kind, Label: label, Button: button})
}

// New makes the credential spec describes, as Create does; it alone sets
// a venue's delay.
func (r *Registry) New(spec Spec) (Credential, string, error) {
	kind, delay := spec.Kind, spec.DelayMs
	label, button := strings.TrimSpace(spec.Label), strings.TrimSpace(spec.Button)
	if err := checkNew(kind, label, button, delay); err != nil {
		return Credential{}, "", err
	}
	secret, err := NewSecret()
	if err != nil {
		return Credential{}, "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if kind == KindButton {
		for _, e := range r.byID {
			if e.Live() && e.Button == button {
				return Credential{}, "", &controller.Error{Code: controller.ECONFLICT, Field: "button",
					Message: fmt.Sprintf("button %q already has a live credential (%s); revoke it first", button, e.Label)}
			}
		}
	}
	e := &entry{Credential: Credential{ID: newID(), Kind: kind, Label: label, Button: button, DelayMs: delay,
		CreatedAt: r.now().UnixMilli()}, Digest: digest(secret)}
	for r.byID[e.ID] != nil {
		e.ID = newID()
	}
	if err := r.putLocked(e); err != nil {
		return Credential{}, "", err
	}
	r.add(e)
	return e.Credential, secret, nil
}

// checkNew checks the fields of a new credential.
func checkNew(kind Kind, label, button string, delayMs int64) error {
	switch kind {
	case KindOperator, KindButton, KindVenue, KindScreen:
	case "":
		return controller.FieldError("kind", "a credential needs a kind: operator, button, screen or venue")
	default:
		return controller.FieldError("kind", "unknown kind %q: use operator, button, screen or venue", kind)
	}
	if err := checkText("label", label, MaxLabelLen); err != nil {
		return err
	}
	if label == "" {
		if kind == KindVenue {
			return controller.FieldError("label", "a venue credential needs the hall's name")
		}
		return controller.FieldError("label", "a credential needs a label that says whose device it is")
	}
	if kind == KindVenue {
		if button != "" {
			return controller.FieldError("button", "a venue credential presses no button")
		}
		return checkDelay(delayMs)
	}
	if delayMs != 0 {
		return controller.FieldError("delayMs", "only a venue credential has a delay")
	}
	if kind == KindOperator || kind == KindScreen {
		if button != "" {
			return controller.FieldError("button", "only a button credential presses a button")
		}
		return nil
	}
	if button == "" {
		return controller.FieldError("button", "a button credential needs the button id it presses as")
	}
	if button == SharedButton {
		return controller.FieldError("button", "%q is reserved for the shared key", SharedButton)
	}
	return checkText("button", button, MaxButtonID)
}

// checkText refuses control characters and text longer than max runes.
func checkText(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return controller.FieldError(field, "is %d characters long, at most %d are allowed", n, max)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return controller.FieldError(field, "contains control characters or invalid UTF-8")
	}
	return nil
}

// Revoke shuts a credential out at once: it no longer opens, and every
// function given to OnRevoke is told (the hub closes its sockets). The
// administrator's token cannot be revoked.
func (r *Registry) Revoke(id string) (Credential, error) {
	r.mu.Lock()
	e, ok := r.byID[id]
	switch {
	case !ok:
		r.mu.Unlock()
		return Credential{}, controller.Errorf(controller.ENOTFOUND, "no credential %q", id)
	case e.Admin:
		r.mu.Unlock()
		return Credential{}, controller.Errorf(controller.EFORBIDDEN, "the administrator's token cannot be revoked; start the server with another --operator-token to change it")
	case !e.Live():
		r.mu.Unlock()
		return Credential{}, controller.Errorf(controller.ECONFLICT, "credential %q was already revoked", id)
	}
	revoked := *e
	revoked.RevokedAt = r.now().UnixMilli()
	// A revoked shared key stays a record, unlisted, so that Export tells
	// the standby it was revoked.
	if err := r.replaceLocked(e, revoked); err != nil {
		r.mu.Unlock()
		return Credential{}, err
	}
	listeners := slices.Clone(r.revoked)
	r.mu.Unlock()
	for _, f := range listeners {
		f(revoked.Credential)
	}
	return revoked.Credential, nil
}

// OnRevoke registers f to be told of every revoked credential, after it
// stopped opening.
func (r *Registry) OnRevoke(f func(Credential)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.revoked = append(r.revoked, f)
}

// putLocked writes e to the store.
func (r *Registry) putLocked(e *entry) error {
	if r.store == nil {
		return nil
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("access: encode credential %s: %w", e.ID, err)
	}
	if err := r.store.PutCredential(e.ID, data); err != nil {
		return fmt.Errorf("access: store credential %s: %w", e.ID, err)
	}
	return nil
}
