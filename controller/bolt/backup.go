package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/phatdong/phatdong/controller"
)

// Backup writes a consistent copy of the database to w, as of one read
// transaction: commands keep committing meanwhile and none of them is half
// in the copy. It returns the bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	return s.BackupSized(func(int64) (io.Writer, error) { return w, nil })
}

// BackupSized is Backup for a writer that must know the copy's exact size
// before its first byte (an HTTP answer's Content-Length): start is called
// with it, inside the same read transaction, and returns the writer.
func (s *Store) BackupSized(start func(size int64) (io.Writer, error)) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		w, err := start(tx.Size())
		if err != nil {
			return err
		}
		if n, err = tx.WriteTo(w); err != nil {
			return fmt.Errorf("bolt: write the backup: %w", err)
		}
		return nil
	})
	return n, err
}

// Verified is what Verify found in a copy of the database.
type Verified struct {
	Format  uint64 // the store's format version
	Seq     uint64 // the state's sequence: the last command acknowledged
	ShowRev uint64
	Title   string // the saved show's title; "" in an empty store
	Entries int    // accepted commands in the journal
}

// Verify opens a copy of the database read-only and checks it: bbolt's
// page consistency, every bucket a server needs, a format this release
// reads, a saved show and state that decode, and a journal that ends at
// the state's sequence. It never changes the file.
func Verify(path string) (Verified, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return Verified{}, fmt.Errorf("bolt: verify %s: open: %w", path, err)
	}
	defer db.Close()
	var v Verified
	err = db.View(func(tx *bbolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("pages: %w", errors.Join(errs...))
		}
		for _, name := range [][]byte{bucketMeta, bucketJournal, bucketRefusals, bucketAnswers, bucketSecrets, bucketCredentials, bucketShows} {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("bucket %s is missing", name)
			}
		}
		return verifyContent(tx, &v)
	})
	if err != nil {
		return Verified{}, fmt.Errorf("bolt: verify %s: %w", path, err)
	}
	return v, nil
}

// verifyContent checks the format, the saved show and state, and the
// journal's last accepted entry.
func verifyContent(tx *bbolt.Tx, v *Verified) error {
	meta := tx.Bucket(bucketMeta)
	raw := meta.Get(keyVersion)
	if len(raw) != 8 {
		return errors.New("no store format version")
	}
	if v.Format = binary.BigEndian.Uint64(raw); v.Format > FormatVersion {
		return fmt.Errorf("store format %d is newer than this release reads (%d)", v.Format, FormatVersion)
	}
	showData, stateData := meta.Get(keyShow), meta.Get(keyState)
	if stateData == nil {
		if showData != nil {
			return errors.New("a saved show without a state")
		}
		return nil // an empty store, never started a show
	}
	var state controller.State
	if err := json.Unmarshal(stateData, &state); err != nil {
		return fmt.Errorf("decode the state: %w", err)
	}
	var show controller.Show
	if err := json.Unmarshal(showData, &show); err != nil {
		return fmt.Errorf("decode the show: %w", err)
	}
	v.Seq, v.ShowRev, v.Title = state.Seq, state.ShowRev, show.Title
	var last uint64
	c := tx.Bucket(bucketJournal).Cursor()
	for k, data := c.First(); k != nil; k, data = c.Next() {
		var e controller.Entry
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("decode journal entry %d: %w", binary.BigEndian.Uint64(k), err)
		}
		v.Entries++
		last = e.Answer.Seq
	}
	if v.Entries > 0 && last != state.Seq {
		return fmt.Errorf("the journal ends at seq %d, the state is at %d", last, state.Seq)
	}
	return nil
}

// BackupFile writes a copy of the database file at path to w, for a
// server that is not running: it opens the file read-only (never creating
// or migrating it) and gives up with ErrLocked after a short wait when a
// running server holds it.
func BackupFile(path string, w io.Writer) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("bolt: back up %s: %w", path, err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return 0, fmt.Errorf("bolt: back up %s: %w", path, ErrLocked)
	}
	if err != nil {
		return 0, fmt.Errorf("bolt: back up %s: %w", path, err)
	}
	defer db.Close()
	var n int64
	err = db.View(func(tx *bbolt.Tx) error {
		var err error
		if n, err = tx.WriteTo(w); err != nil {
			return fmt.Errorf("bolt: write the backup of %s: %w", path, err)
		}
		return nil
	})
	return n, err
}
