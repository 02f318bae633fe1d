package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/phatdong/phatdong/controller"
)

// ErrShowNotKept is returned by Since when an entry that put a show in
// use has no show kept (a store older than the shows bucket): the caller
// starts the standby over from a snapshot instead.
var ErrShowNotKept = controller.ErrShowNotKept

// seqKey is the key of a state sequence in the shows bucket.
func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// entrySeq is the part of a journal entry Since reads walking back.
type entrySeq struct {
	Answer struct {
		Seq uint64 `json:"seq"`
	} `json:"answer"`
}

// Since calls fn for every accepted entry with Answer.Seq > seq, oldest
// first, with the show kept for that sequence (nil when the entry kept
// none). It walks back from the newest entry to the last one at or below
// seq, so a catch-up reads only the tail of the journal. A restore may
// have moved the sequence back: the walk stops at the newest entry at or
// below seq, so fn sees the history that led to the current state. An
// entry of type replace-show, restore or load-show without its show
// returns an error wrapping ErrShowNotKept. An error of fn stops the walk
// and is returned.
func (s *Store) Since(seq uint64, fn func(e controller.Entry, show *controller.Show) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketJournal).Cursor()
		k, v := c.Last()
		for ; k != nil; k, v = c.Prev() {
			var es entrySeq
			if err := json.Unmarshal(v, &es); err != nil {
				return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
			}
			if es.Answer.Seq <= seq {
				break
			}
		}
		if k == nil {
			k, v = c.First()
		} else {
			k, v = c.Next()
		}
		shows := tx.Bucket(bucketShows)
		for ; k != nil; k, v = c.Next() {
			var e controller.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
			}
			show, err := keptShow(shows, e)
			if err != nil {
				return err
			}
			if err := fn(e, show); err != nil {
				return err
			}
		}
		return nil
	})
}

// keptShow is the show kept for e's sequence when e put a show in use.
func keptShow(shows *bbolt.Bucket, e controller.Entry) (*controller.Show, error) {
	switch e.Command.Type {
	case controller.CmdReplaceShow, controller.CmdRestore, controller.CmdLoadShow:
	default:
		return nil, nil
	}
	data := shows.Get(seqKey(e.Answer.Seq))
	if data == nil {
		return nil, fmt.Errorf("bolt: entry %d (%s): %w", e.Answer.Seq, e.Command.Type, ErrShowNotKept)
	}
	var show controller.Show
	if err := json.Unmarshal(data, &show); err != nil {
		return nil, fmt.Errorf("bolt: decode the show of entry %d: %w", e.Answer.Seq, err)
	}
	return &show, nil
}

// DigestAt is the digest of the accepted entry whose Answer.Seq is seq, in
// the history that led to the current state (walking back from the newest
// entry, as Since does). found is false when there is none; an entry
// journalled before digests were kept has an empty one.
func (s *Store) DigestAt(seq uint64) (digest string, found bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketJournal).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e struct {
				entrySeq
				Digest string `json:"digest"`
			}
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
			}
			if e.Answer.Seq < seq {
				return nil
			}
			if e.Answer.Seq == seq {
				digest, found = e.Digest, true
				return nil
			}
		}
		return nil
	})
	return digest, found, err
}
