package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/phatdong/phatdong/controller/bolt"
)

// Names of the secrets in the store.
const (
	secretOperator = "operator-token"
	secretButton   = "button-key"
)

// secret returns the secret to use: the one given (which is stored, so a
// later start without the flag keeps it), or the stored one, generated on
// first start.
func secret(store *bolt.Store, name, given string) (string, error) {
	if given != "" {
		if err := store.SetSecret(name, given); err != nil {
			return "", fmt.Errorf("store the %s: %w", name, err)
		}
		return given, nil
	}
	v, err := store.Secret(name, newSecret)
	if err != nil {
		return "", fmt.Errorf("load the %s: %w", name, err)
	}
	return v, nil
}

// newSecret is 144 random bits, URL-safe so it fits a header and a link.
func newSecret() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
