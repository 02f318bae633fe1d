package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/phatdong/phatdong/controller"
)

// What is kept of refused commands, and how they reach the disk.
const (
	// DefaultKeepRefusals is how many refused commands are kept, the most
	// recent: older ones, and their answers, are deleted.
	DefaultKeepRefusals = 10_000
	// DefaultRefusalMaxAge is how long a refused command is kept.
	DefaultRefusalMaxAge = 7 * 24 * time.Hour
	// DefaultFlushEvery is how often the pending refusals are written, in
	// one transaction, when no accepted command has taken them along.
	DefaultFlushEvery = time.Second

	// maxPending bounds the refusals held in memory: beyond it the oldest
	// pending one is dropped (it would soon be pruned anyway).
	maxPending = 1024
	// wakeAt pending refusals start a flush before the next tick.
	wakeAt = maxPending / 4
)

// ErrClosed is returned by Refuse once the store is closed.
var ErrClosed = errors.New("bolt: the store is closed")

// pendingRefusal is a refused command not yet on disk.
type pendingRefusal struct {
	entry controller.Entry
	enc   encoded
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.KeepRefusals <= 0 {
		o.KeepRefusals = DefaultKeepRefusals
	}
	if o.RefusalMaxAge <= 0 {
		o.RefusalMaxAge = DefaultRefusalMaxAge
	}
	if o.FlushEvery == 0 {
		o.FlushEvery = DefaultFlushEvery
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// Refuse journals a refused command and its answer without touching the
// disk: the entry waits in memory, and Answer finds it at once, until the
// next Commit takes it along in its own transaction, or the background
// flush writes every pending refusal in one transaction (within
// FlushEvery, sooner when many wait), or Close does. A crash loses the
// refusals of that last moment, never an accepted command. At most
// maxPending refusals wait; beyond that the oldest is dropped.
func (s *Store) Refuse(e controller.Entry) error {
	enc, err := encodeEntry(e)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if len(s.pending) >= maxPending {
		delete(s.answers, s.pending[0].enc.id)
		s.pending = s.pending[1:]
		s.dropped++
	}
	s.pending = append(s.pending, pendingRefusal{entry: e, enc: enc})
	if enc.id != "" {
		s.answers[enc.id] = e.Answer
	}
	if len(s.pending) >= wakeAt {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// Flush writes the pending refusals now, in one transaction, and deletes
// the refusals beyond what is kept.
func (s *Store) Flush() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.writeLocked(nil)
}

// writeLocked runs one write transaction: the pending refusals first
// (they came before), then fn's changes when fn is not nil, then the
// pruning of old refusals. On failure the refusals stay pending.
func (s *Store) writeLocked(fn func(*bbolt.Tx) error) error {
	s.mu.Lock()
	batch, dropped := s.pending, s.dropped
	s.pending, s.dropped = nil, 0
	kept0, oldest0 := s.kept, s.oldest
	s.mu.Unlock()
	kept, oldest := kept0, oldest0
	cutoff := s.opt.Now().Add(-s.opt.RefusalMaxAge).UnixMilli()
	if fn == nil && len(batch) == 0 && !s.overLimits(kept, oldest, cutoff) {
		return nil
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		kept, oldest = kept0, oldest0
		for _, p := range batch {
			if err := putEntry(tx, bucketRefusals, p.enc); err != nil {
				return err
			}
			if kept++; oldest == 0 {
				oldest = p.entry.At
			}
		}
		if fn != nil {
			if err := fn(tx); err != nil {
				return err
			}
		}
		if !s.overLimits(kept, oldest, cutoff) {
			return nil
		}
		var err error
		kept, oldest, err = s.prune(tx, kept, cutoff)
		return err
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.pending = append(batch, s.pending...)
		for len(s.pending) > maxPending {
			delete(s.answers, s.pending[0].enc.id)
			s.pending = s.pending[1:]
			dropped++
		}
		s.dropped += dropped
		return err
	}
	s.writeTxs.Add(1)
	s.kept, s.oldest = kept, oldest
	for _, p := range batch {
		delete(s.answers, p.enc.id)
	}
	if dropped > 0 {
		s.log.Warn("refused commands came faster than they could be journalled; the oldest were dropped", "dropped", dropped)
	}
	return nil
}

// overLimits reports whether the refusals on disk need pruning.
func (s *Store) overLimits(kept int, oldest, cutoff int64) bool {
	return kept > s.opt.KeepRefusals || oldest != 0 && oldest < cutoff
}

// prune deletes the oldest refusals until at most KeepRefusals are left
// and none is older than cutoff (Unix ms), with their answers. It returns
// the count left and the At of the oldest left (0 when none is).
func (s *Store) prune(tx *bbolt.Tx, kept int, cutoff int64) (int, int64, error) {
	refusals, answers := tx.Bucket(bucketRefusals), tx.Bucket(bucketAnswers)
	c := refusals.Cursor()
	for k, v := c.First(); k != nil; k, v = c.First() {
		var e controller.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return 0, 0, fmt.Errorf("bolt: decode refusal %x: %w", k, err)
		}
		if kept <= s.opt.KeepRefusals && e.At >= cutoff {
			return kept, e.At, nil
		}
		if err := c.Delete(); err != nil {
			return 0, 0, fmt.Errorf("bolt: prune refusal %x: %w", k, err)
		}
		kept--
		if err := forgetRefusal(answers, e.Command.ID); err != nil {
			return 0, 0, err
		}
	}
	return 0, 0, nil
}

// forgetRefusal deletes the answer under id if it is a refusal: a retry
// of that id is then decided afresh. An accepted answer stays.
func forgetRefusal(answers *bbolt.Bucket, id string) error {
	if id == "" {
		return nil
	}
	v := answers.Get([]byte(id))
	if v == nil {
		return nil
	}
	var a controller.Answer
	if err := json.Unmarshal(v, &a); err != nil {
		return fmt.Errorf("bolt: decode answer %q: %w", id, err)
	}
	if a.Accepted() {
		return nil
	}
	if err := answers.Delete([]byte(id)); err != nil {
		return fmt.Errorf("bolt: delete answer %q: %w", id, err)
	}
	return nil
}

// flusher writes the pending refusals every tick, or when a batch is
// full, until Close. With nothing pending it prunes refusals that have
// aged out.
func (s *Store) flusher(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.wake:
		}
		if err := s.Flush(); err != nil {
			s.log.Error("journal the refused commands", "err", err)
		}
	}
}

// loadRefusals counts the refusals on disk and prunes them to the limits.
func (s *Store) loadRefusals() error {
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketRefusals)
		s.kept = b.Stats().KeyN
		k, v := b.Cursor().First()
		if k == nil {
			return nil
		}
		var e controller.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("bolt: decode refusal %x: %w", k, err)
		}
		s.oldest = e.At
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: read the refusals: %w", err)
	}
	return s.Flush()
}

// moveRefusals moves the refused commands of a version 1 store from the
// journal to their own bucket, under the same keys.
func moveRefusals(tx *bbolt.Tx) error {
	journal, refusals := tx.Bucket(bucketJournal), tx.Bucket(bucketRefusals)
	var keys [][]byte
	err := journal.ForEach(func(k, v []byte) error {
		var e struct {
			Answer struct {
				Error json.RawMessage `json:"error"`
			} `json:"answer"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("bolt: decode journal entry %x: %w", k, err)
		}
		if len(e.Answer.Error) > 0 && string(e.Answer.Error) != "null" {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		v := append([]byte(nil), journal.Get(k)...)
		if err := refusals.Put(k, v); err != nil {
			return fmt.Errorf("bolt: move refusal %x: %w", k, err)
		}
		if err := journal.Delete(k); err != nil {
			return fmt.Errorf("bolt: move refusal %x: %w", k, err)
		}
	}
	return nil
}
