package bolt

import (
	"encoding/binary"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// Stats describes a store for the health endpoint. It holds no secret.
type Stats struct {
	Path           string `json:"path"`
	SizeBytes      int64  `json:"sizeBytes"`
	FormatVersion  uint64 `json:"formatVersion"`
	JournalEntries int    `json:"journalEntries"`
	Answers        int    `json:"answers"`
	HasShow        bool   `json:"hasShow"`
}

// Stats reads the store's figures in one read transaction, which also
// proves the file can still be read.
func (s *Store) Stats() (Stats, error) {
	st := Stats{Path: s.db.Path()}
	err := s.db.View(func(tx *bbolt.Tx) error {
		st.SizeBytes = tx.Size()
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyVersion); len(v) == 8 {
			st.FormatVersion = binary.BigEndian.Uint64(v)
		}
		st.HasShow = meta.Get(keyShow) != nil
		st.JournalEntries = tx.Bucket(bucketJournal).Stats().KeyN
		st.Answers = tx.Bucket(bucketAnswers).Stats().KeyN
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("bolt: stats: %w", err)
	}
	return st, nil
}
