package main

import (
	"fmt"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/access"
)

// Names of the secrets in the store.
const (
	secretOperator = "operator-token"
	secretButton   = "button-key"
	secretPairing  = "pairing-secret"
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
	v, err := store.Secret(name, access.NewSecret)
	if err != nil {
		return "", fmt.Errorf("load the %s: %w", name, err)
	}
	return v, nil
}

// sharedButtonKey is the shared button key of a database made before keys
// per device, or the one --button-key gives (kept for scripts and older
// agents): "" when there is none. A new database gets none; each button
// gets a key of its own in /edit.
func sharedButtonKey(store *bolt.Store, given string) (string, error) {
	if given != "" {
		return secret(store, secretButton, given)
	}
	v, err := store.LookupSecret(secretButton)
	if err != nil {
		return "", fmt.Errorf("load the %s: %w", secretButton, err)
	}
	return v, nil
}
