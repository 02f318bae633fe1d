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

// LookupSecret returns the secret stored under name, "" when there is none.
func (s *Store) LookupSecret(name string) (string, error) {
	var value string
	err := s.db.View(func(tx *bbolt.Tx) error {
		value = string(tx.Bucket(bucketSecrets).Get([]byte(name)))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("bolt: read secret %s: %w", name, err)
	}
	return value, nil
}

// DeleteSecret forgets the secret stored under name.
func (s *Store) DeleteSecret(name string) error {
	if err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSecrets).Delete([]byte(name))
	}); err != nil {
		return fmt.Errorf("bolt: delete secret %s: %w", name, err)
	}
	return nil
}

// Credentials returns every stored device credential record (see package
// display/access), in no order.
func (s *Store) Credentials() ([][]byte, error) {
	var out [][]byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCredentials).ForEach(func(_, v []byte) error {
			out = append(out, append([]byte(nil), v...))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: read credentials: %w", err)
	}
	return out, nil
}

// PutCredential stores a device credential record under its id.
func (s *Store) PutCredential(id string, record []byte) error {
	if err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketCredentials).Put([]byte(id), record)
	}); err != nil {
		return fmt.Errorf("bolt: store credential %s: %w", id, err)
	}
	return nil
}
