// Package access keeps the credentials of a server's devices: the
// administrator's token, one credential per operator device, per launch
// button and per district hall (venue) that follows the show, and the
// shared button key of older databases. A secret is kept
// only as its SHA-256 digest and is shown once, when it is created.
//
// A credential names what its holder may do (Kind) and, for a button, the
// button it presses as: the launch's K-of-N rule then counts distinct
// authenticated buttons, whatever ids a device claims.
package access

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Kind is what a credential lets its holder do.
type Kind string

// Kinds of credentials.
const (
	KindOperator Kind = "operator" // runs the show (the MC's tablet, the editor)
	KindButton   Kind = "button"   // presses one launch button, nothing else
	// KindVenue is a district hall's server that follows the show over a
	// NATS leaf link; it can neither command nor press, and opens nothing
	// over HTTP or a websocket (see Registry.Venue).
	KindVenue Kind = "venue"
	// KindScreen pairs a stage or presenter screen (by a QR code): it
	// only opens a screen's socket, and its revocation shuts the screen
	// out. It commands, presses and reads nothing more than a screen.
	KindScreen Kind = "screen"
)

// Ids of the two credentials that are not records of their own.
const (
	// AdminID names the administrator's token: the first operator token,
	// set by the server's --operator-token or generated on first start.
	// It alone manages credentials and cannot be revoked.
	AdminID = "admin"
	// SharedID names the shared button key of databases made before keys
	// per device. It still opens, as one button that counts once.
	SharedID = "shared-button-key"
	// SharedButton is the button id every press with the shared key counts
	// as, whatever id the device claims.
	SharedButton = "shared-key"
)

// Limits of a credential's fields.
const (
	MaxLabelLen = 64 // runes
	MaxButtonID = 64 // runes, as controller.MaxButtonLen
	// MaxDelayMs bounds a venue's delay: the delay of the hall's video
	// feed that its screens add to the moment.
	MaxDelayMs = 10000
)

// Credential describes one credential, never its secret. Times are Unix ms.
type Credential struct {
	ID    string `json:"id"`
	Kind  Kind   `json:"kind"`
	Label string `json:"label"`
	// Button is the button id a button credential presses as.
	Button string `json:"button,omitempty"`
	// DelayMs is a venue's video-feed delay, 0..MaxDelayMs, that the
	// hall's screens add to the moment; 0 for the other kinds.
	DelayMs    int64 `json:"delayMs,omitempty"`
	CreatedAt  int64 `json:"createdAt,omitempty"`
	LastUsedAt int64 `json:"lastUsedAt,omitempty"`
	// LastAddr is the address the credential was last used from.
	LastAddr  string `json:"lastAddr,omitempty"`
	RevokedAt int64  `json:"revokedAt,omitempty"`
	// Admin marks the administrator's token; Shared the old shared key.
	Admin  bool `json:"admin,omitempty"`
	Shared bool `json:"shared,omitempty"`
}

// Live reports whether the credential still opens.
func (c Credential) Live() bool { return c.RevokedAt == 0 }

// Identity is who presented a secret: the credential it matched.
type Identity struct {
	ID     string
	Kind   Kind
	Label  string
	Button string
	Admin  bool
	Shared bool
}

// NewSecret makes a new secret: 144 random bits, URL-safe so it fits a
// header, a link's fragment and a configuration file.
func NewSecret() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("access: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// newID makes a credential id: short, readable, unique in practice.
func newID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return "k" + hex.EncodeToString(b)
}
