package bolt

import (
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// Secret returns the secret stored under name, generating and storing one
// with gen on first use. The server keeps its tokens here, so none is ever
// committed to a repository.
func (s *Store) Secret(name string, gen func() (string, error)) (string, error) {
	var value string
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSecrets)
		if v := b.Get([]byte(name)); v != nil {
			value = string(v)
			return nil
		}
		v, err := gen()
		if err != nil {
			return fmt.Errorf("bolt: generate secret %s: %w", name, err)
		}
		value = v
		return b.Put([]byte(name), []byte(v))
	})
	return value, err
}

// SetSecret stores a secret given by the operator (a flag or the environment).
func (s *Store) SetSecret(name, value string) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSecrets).Put([]byte(name), []byte(value))
	})
}
