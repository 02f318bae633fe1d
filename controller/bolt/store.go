// Package bolt is the bbolt implementation of controller.Store: the show,
// the state, the journal of every command and the answers to identified
// commands. An accepted command is fsynced before Commit returns; refused
// commands are written in batches (see Refuse), and only the most recent
// are kept.
package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/phatdong/phatdong/controller"
)

// FormatVersion is the version of the store's layout. Open refuses a store
// written by a newer release and migrates an older one. Version 2 keeps
// refused commands in a bucket of their own (version 1 had them in the
// journal with the accepted ones).
const FormatVersion = 2

var (
	bucketMeta        = []byte("meta")
	bucketJournal     = []byte("journal")  // accepted commands, kept whole
	bucketRefusals    = []byte("refusals") // refused commands, the most recent only
	bucketAnswers     = []byte("answers")
	bucketSecrets     = []byte("secrets")
	bucketCredentials = []byte("credentials")
	bucketShows       = []byte("shows") // the show each entry put in use, by its seq

	keyVersion = []byte("version")
	keyShow    = []byte("show")
	keyState   = []byte("state")
)

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("the database is in use by another running server")

// Store is a controller.Store backed by one bbolt file.
type Store struct {
	db  *bbolt.DB
	opt Options
	log *slog.Logger

	// writeMu makes the journal's write transactions (Commit and the
	// refusals' flush) one at a time, and lets a reader see the disk and
	// the pending refusals as one.
	writeMu sync.Mutex

	mu      sync.Mutex // guards the fields below; never held across disk I/O
	pending []pendingRefusal
	answers map[string]controller.Answer // the pending refusals', by command id
	kept    int                          // refusals on disk
	oldest  int64                        // At of the oldest on disk, 0 when none
	dropped int                          // pending refusals dropped since the last flush
	closed  bool

	wake     chan struct{} // a full batch is waiting
	stop     chan struct{} // closed by Close
	done     chan struct{} // closed when the flusher has stopped; nil without one
	writeTxs atomic.Uint64
}

var _ controller.Store = (*Store)(nil)

// Options tune a store. The zero value is the production setting.
type Options struct {
	// Now is the clock that ages refusals; nil is time.Now.
	Now func() time.Time
	// KeepRefusals is how many refused commands are kept at most, the
	// most recent; 0 means DefaultKeepRefusals.
	KeepRefusals int
	// RefusalMaxAge is how long a refused command is kept at most; 0
	// means DefaultRefusalMaxAge.
	RefusalMaxAge time.Duration
	// FlushEvery is how often pending refusals are written; 0 means
	// DefaultFlushEvery. A negative value starts no background flush:
	// refusals are then written with the next Commit, by Flush or by Close.
	FlushEvery time.Duration
	// Log takes the background flush's errors; nil is slog.Default().
	Log *slog.Logger
}

// Open opens (or creates) the database at path with the production
// settings. It gives up after a short wait with ErrLocked if another
// process holds the file.
func Open(path string) (*Store, error) {
	return OpenWith(path, Options{})
}

// OpenWith is Open with options. It starts the background flush of
// refusals; Close stops it.
func OpenWith(path string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	s := &Store{
		db: db, opt: opt, log: opt.Log, answers: map[string]controller.Answer{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}),
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.loadRefusals(); err != nil {
		db.Close()
		return nil, err
	}
	if opt.FlushEvery > 0 {
		s.done = make(chan struct{})
		go s.flusher(opt.FlushEvery)
	}
	return s, nil
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketJournal, bucketRefusals, bucketAnswers, bucketSecrets, bucketCredentials, bucketShows} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("bolt: create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyVersion); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("bolt: corrupt store version")
			}
			got := binary.BigEndian.Uint64(v)
			if got > FormatVersion {
				return fmt.Errorf("bolt: store format %d is newer than this server understands (%d)", got, FormatVersion)
			}
			if got == FormatVersion {
				return nil
			}
			if err := moveRefusals(tx); err != nil {
				return err
			}
		}
		return meta.Put(keyVersion, binary.BigEndian.AppendUint64(nil, FormatVersion))
	})
}

// Close writes the pending refusals, stops the background flush and
// closes the database. Closing again does nothing.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	if s.done != nil {
		<-s.done
	}
	ferr := s.Flush()
	if err := s.db.Close(); err != nil {
		return errors.Join(ferr, fmt.Errorf("bolt: close: %w", err))
	}
	return ferr
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

// Commit saves an accepted command in one transaction, fsynced before it
// returns. The pending refusals, which came before it, go in the same
// transaction. It may wait for a batch of refusals being written by the
// background flush (at most one, once a second). A new show is also kept
// under the entry's sequence, for a standby catching up (see Since).
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
	entry, err := encodeEntry(rec.Entry)
	if err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.writeLocked(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyState, state); err != nil {
			return fmt.Errorf("bolt: put state: %w", err)
		}
		if show != nil {
			if err := meta.Put(keyShow, show); err != nil {
				return fmt.Errorf("bolt: put show: %w", err)
			}
			if err := tx.Bucket(bucketShows).Put(seqKey(rec.Entry.Answer.Seq), show); err != nil {
				return fmt.Errorf("bolt: keep show of entry %d: %w", rec.Entry.Answer.Seq, err)
			}
		}
		return putEntry(tx, bucketJournal, entry)
	})
}

// encoded is a journal entry ready to be written: its JSON, and its
// command id and answer's JSON when it has an id.
type encoded struct {
	id            string
	entry, answer []byte
}

func encodeEntry(e controller.Entry) (encoded, error) {
	out := encoded{id: e.Command.ID}
	var err error
	if out.entry, err = json.Marshal(e); err != nil {
		return encoded{}, fmt.Errorf("bolt: encode journal entry: %w", err)
	}
	if out.id != "" {
		if out.answer, err = json.Marshal(e.Answer); err != nil {
			return encoded{}, fmt.Errorf("bolt: encode answer: %w", err)
		}
	}
	return out, nil
}

// putEntry writes an entry to bucket (the journal or the refusals) under
// the journal's next sequence number, which orders both, and its answer.
func putEntry(tx *bbolt.Tx, bucket []byte, e encoded) error {
	n, err := tx.Bucket(bucketJournal).NextSequence()
	if err != nil {
		return fmt.Errorf("bolt: journal sequence: %w", err)
	}
	if err := tx.Bucket(bucket).Put(binary.BigEndian.AppendUint64(nil, n), e.entry); err != nil {
		return fmt.Errorf("bolt: put journal entry: %w", err)
	}
	if e.id == "" {
		return nil
	}
	if err := tx.Bucket(bucketAnswers).Put([]byte(e.id), e.answer); err != nil {
		return fmt.Errorf("bolt: put answer: %w", err)
	}
	return nil
}

// Answer finds the answer given to a command id: a pending refusal's, or
// one on disk.
func (s *Store) Answer(id string) (controller.Answer, bool, error) {
	s.mu.Lock()
	a, found := s.answers[id]
	s.mu.Unlock()
	if found {
		return a, true, nil
	}
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

// Entries walks the journal, oldest first: the accepted commands and the
// refusals still kept, on disk and pending.
func (s *Store) Entries(fn func(controller.Entry) error) error {
	s.writeMu.Lock()
	tx, err := s.db.Begin(false)
	if err != nil {
		s.writeMu.Unlock()
		return fmt.Errorf("bolt: read the journal: %w", err)
	}
	defer tx.Rollback()
	s.mu.Lock()
	pending := make([]controller.Entry, len(s.pending))
	for i, p := range s.pending {
		pending[i] = p.entry
	}
	s.mu.Unlock()
	s.writeMu.Unlock()

	// Both buckets are keyed by the journal's sequence: merge them.
	jc, rc := tx.Bucket(bucketJournal).Cursor(), tx.Bucket(bucketRefusals).Cursor()
	jk, jv := jc.First()
	rk, rv := rc.First()
	for jk != nil || rk != nil {
		k, v := jk, jv
		if jk == nil || rk != nil && bytes.Compare(rk, jk) < 0 {
			k, v = rk, rv
			rk, rv = rc.Next()
		} else {
			jk, jv = jc.Next()
		}
		var e controller.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	for _, e := range pending {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
