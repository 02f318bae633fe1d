package bolt

import (
	"encoding/binary"
	"fmt"
)

// Stats describes a store for the health endpoint. It holds no secret.
type Stats struct {
	Path          string `json:"path"`
	SizeBytes     int64  `json:"sizeBytes"`
	FormatVersion uint64 `json:"formatVersion"`
	// JournalEntries counts the journal as Entries walks it: every
	// accepted command and the refusals kept, pending ones included.
	JournalEntries int `json:"journalEntries"`
	// Refusals counts the refused commands kept, PendingRefusals those of
	// them not yet on disk.
	Refusals        int  `json:"refusals"`
	PendingRefusals int  `json:"pendingRefusals"`
	Answers         int  `json:"answers"` // answers kept for command ids, pending included
	HasShow         bool `json:"hasShow"`
	// WriteTxs counts the journal's write transactions (each one synced
	// to disk) since the store was opened.
	WriteTxs uint64 `json:"writeTxs"`
}

// Stats reads the store's figures in one read transaction, which also
// proves the file can still be read.
func (s *Store) Stats() (Stats, error) {
	st := Stats{Path: s.db.Path()}
	s.writeMu.Lock()
	tx, err := s.db.Begin(false)
	if err == nil {
		s.mu.Lock()
		st.PendingRefusals, st.Answers = len(s.pending), len(s.answers)
		s.mu.Unlock()
	}
	s.writeMu.Unlock()
	if err != nil {
		return Stats{}, fmt.Errorf("bolt: stats: %w", err)
	}
	defer tx.Rollback()
	st.SizeBytes = tx.Size()
	meta := tx.Bucket(bucketMeta)
	if v := meta.Get(keyVersion); len(v) == 8 {
		st.FormatVersion = binary.BigEndian.Uint64(v)
	}
	st.HasShow = meta.Get(keyShow) != nil
	st.Refusals = tx.Bucket(bucketRefusals).Stats().KeyN + st.PendingRefusals
	st.JournalEntries = tx.Bucket(bucketJournal).Stats().KeyN + st.Refusals
	st.Answers += tx.Bucket(bucketAnswers).Stats().KeyN
	st.WriteTxs = s.writeTxs.Load()
	return st, nil
}
