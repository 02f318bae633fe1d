// Package bolt is the bbolt implementation of controller.Store: the show,
// the state, the journal of every command and the answers to identified
// commands, each commit fsynced before it returns.
package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/phatdong/phatdong/controller"
)

// FormatVersion is the version of the store's layout. Open refuses a store
// written by a newer release; an older one would be migrated here.
const FormatVersion = 1

var (
	bucketMeta        = []byte("meta")
	bucketJournal     = []byte("journal")
	bucketAnswers     = []byte("answers")
	bucketSecrets     = []byte("secrets")
	bucketCredentials = []byte("credentials")

	keyVersion = []byte("version")
	keyShow    = []byte("show")
	keyState   = []byte("state")
)

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("the database is in use by another running server")

// Store is a controller.Store backed by one bbolt file.
type Store struct {
	db *bbolt.DB
}

var _ controller.Store = (*Store)(nil)

// Open opens (or creates) the database at path. It gives up after a short
// wait with ErrLocked if another process holds the file.
func Open(path string) (*Store, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketJournal, bucketAnswers, bucketSecrets, bucketCredentials} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("bolt: create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyVersion); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("bolt: corrupt store version")
			}
			if got := binary.BigEndian.Uint64(v); got > FormatVersion {
				return fmt.Errorf("bolt: store format %d is newer than this server understands (%d)", got, FormatVersion)
			}
			return nil
		}
		return meta.Put(keyVersion, binary.BigEndian.AppendUint64(nil, FormatVersion))
	})
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("bolt: close: %w", err)
	}
	return nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// Load returns the saved show and state, or nil for an empty store.
func (s *Store) Load() (*controller.Saved, error) {
	var saved *controller.Saved
	err := s.db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		showData, stateData := meta.Get(keyShow), meta.Get(keyState)
		if showData == nil || stateData == nil {
			return nil
		}
		var out controller.Saved
		if err := json.Unmarshal(showData, &out.Show); err != nil {
			return fmt.Errorf("bolt: decode saved show: %w", err)
		}
		if err := json.Unmarshal(stateData, &out.State); err != nil {
			return fmt.Errorf("bolt: decode saved state: %w", err)
		}
		if out.Show == nil {
			return fmt.Errorf("bolt: saved show is empty")
		}
		saved = &out
		return nil
	})
	return saved, err
}

// Commit saves an accepted command in one transaction.
func (s *Store) Commit(rec controller.Record) error {
	state, err := json.Marshal(rec.State)
	if err != nil {
		return fmt.Errorf("bolt: encode state: %w", err)
	}
	var show []byte
	if rec.Show != nil {
		if show, err = json.Marshal(rec.Show); err != nil {
			return fmt.Errorf("bolt: encode show: %w", err)
		}
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyState, state); err != nil {
			return fmt.Errorf("bolt: put state: %w", err)
		}
		if show != nil {
			if err := meta.Put(keyShow, show); err != nil {
				return fmt.Errorf("bolt: put show: %w", err)
			}
		}
		return putEntry(tx, rec.Entry)
	})
}

// Refuse saves a refused command's journal entry and answer.
func (s *Store) Refuse(e controller.Entry) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return putEntry(tx, e) })
}

func putEntry(tx *bbolt.Tx, e controller.Entry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("bolt: encode journal entry: %w", err)
	}
	journal := tx.Bucket(bucketJournal)
	n, err := journal.NextSequence()
	if err != nil {
		return fmt.Errorf("bolt: journal sequence: %w", err)
	}
	if err := journal.Put(binary.BigEndian.AppendUint64(nil, n), data); err != nil {
		return fmt.Errorf("bolt: put journal entry: %w", err)
	}
	if e.Command.ID == "" {
		return nil
	}
	answer, err := json.Marshal(e.Answer)
	if err != nil {
		return fmt.Errorf("bolt: encode answer: %w", err)
	}
	if err := tx.Bucket(bucketAnswers).Put([]byte(e.Command.ID), answer); err != nil {
		return fmt.Errorf("bolt: put answer: %w", err)
	}
	return nil
}

// Answer finds the answer given to a command id.
func (s *Store) Answer(id string) (controller.Answer, bool, error) {
	var a controller.Answer
	var found bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketAnswers).Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("bolt: decode answer %q: %w", id, err)
		}
		return nil
	})
	return a, found, err
}

// Entries walks the journal, oldest first.
func (s *Store) Entries(fn func(controller.Entry) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketJournal).ForEach(func(k, v []byte) error {
			var e controller.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
			}
			return fn(e)
		})
	})
}
