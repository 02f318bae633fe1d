package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/phatdong/phatdong/controller"
)

// TestRefusalsShareTheirSyncs refuses 1,000 commands and counts the pages
// bbolt wrote for them: a transaction (and its fsyncs) per refusal writes
// at least two pages each (a leaf and the meta page), a batch writes a
// few dozen for all of them. Every refusal is in the journal after the
// store closes, and a retry of its id is told the same again.
func TestRefusalsShareTheirSyncs(t *testing.T) {
	const n = 1000
	path := filepath.Join(t.TempDir(), "show.db")
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := controller.Open(controller.Config{Store: s, DefaultShow: show})
	if err != nil {
		t.Fatal(err)
	}
	op := controller.Actor{Role: "operator"}
	before := pageWrites(s)
	for i := range n {
		// Clearing a message when there is none is refused.
		res, err := e.Execute(controller.Command{Type: controller.CmdClearMsg, ID: fmt.Sprintf("r%d", i)}, op)
		if err == nil || res.Answer.Accepted() {
			t.Fatalf("refusal %d was accepted: %+v", i, res.Answer)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	writes := pageWrites(s) - before
	t.Logf("%d refusals: %d page writes", n, writes)
	if writes >= n {
		t.Errorf("%d refusals wrote %d pages: a transaction each", n, writes)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	refused := 0
	if err := s.Entries(func(en controller.Entry) error {
		if !en.Answer.Accepted() {
			refused++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if refused != n {
		t.Errorf("the journal holds %d refusals after closing, want %d", refused, n)
	}
	for _, id := range []string{"r0", "r999"} {
		if a, ok, err := s.Answer(id); err != nil || !ok || a.Accepted() {
			t.Errorf("answer of %s after reopening: %+v %v %v, want its refusal", id, a, ok, err)
		}
	}
}

// pageWrites is how many page writes bbolt has made since the store opened.
func pageWrites(s *Store) int64 {
	st := s.db.Stats()
	return st.TxStats.GetWrite()
}

// Beyond maxPending refusals waiting, the oldest is dropped, with its
// answer: memory stays bounded when the disk cannot keep up.
func TestPendingRefusalsAreBounded(t *testing.T) {
	s, err := OpenWith(filepath.Join(t.TempDir(), "show.db"), Options{FlushEvery: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range maxPending + 10 {
		e := controller.Entry{At: time.Now().UnixMilli(), Command: controller.Command{Type: controller.CmdFire, ID: fmt.Sprintf("r%d", i)},
			Answer: controller.Answer{Error: controller.Errorf(controller.ENOTARMED, "not armed")}}
		if err := s.Refuse(e); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.PendingRefusals != maxPending || st.Answers != maxPending {
		t.Fatalf("%d refusals pending with %d answers, want %d", st.PendingRefusals, st.Answers, maxPending)
	}
	for i, want := range map[int]bool{0: false, 9: false, 10: true, maxPending + 9: true} {
		if _, ok, _ := s.Answer(fmt.Sprintf("r%d", i)); ok != want {
			t.Errorf("answer of r%d found %v, want %v", i, ok, want)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(); st.Refusals != maxPending || st.PendingRefusals != 0 {
		t.Errorf("after the flush: %+v", st)
	}
}

// A version 1 store, with its refusals in the journal, is opened with
// them moved to their own bucket, in the same order.
func TestVersion1StoreIsMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.db")
	now := time.Now().UnixMilli()
	notArmed := controller.Errorf(controller.ENOTARMED, "not armed")
	old := []controller.Entry{
		{At: now, Command: controller.Command{Type: "load-show"}, Answer: controller.Answer{Seq: 1}},
		{At: now, Command: controller.Command{Type: controller.CmdFire, ID: "f1"}, Answer: controller.Answer{Seq: 1, Error: notArmed}},
		{At: now, Command: controller.Command{Type: controller.CmdMessage, Text: "Xin chào", ID: "m1"}, Answer: controller.Answer{Seq: 2}},
		{At: now, Command: controller.Command{Type: controller.CmdFire, ID: "f2"}, Answer: controller.Answer{Seq: 2, Error: notArmed}},
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		journal, _ := tx.CreateBucket(bucketJournal)
		answers, _ := tx.CreateBucket(bucketAnswers)
		if err := meta.Put(keyVersion, binary.BigEndian.AppendUint64(nil, 1)); err != nil {
			return err
		}
		for _, e := range old {
			n, _ := journal.NextSequence()
			v, _ := json.Marshal(e)
			if err := journal.Put(binary.BigEndian.AppendUint64(nil, n), v); err != nil {
				return err
			}
			if e.Command.ID != "" {
				a, _ := json.Marshal(e.Answer)
				if err := answers.Put([]byte(e.Command.ID), a); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := OpenWith(path, Options{FlushEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.FormatVersion != FormatVersion || st.Refusals != 2 || st.JournalEntries != 4 || st.Answers != 3 {
		t.Fatalf("after migrating: %+v", st)
	}
	// A new refusal comes after them all.
	if err := s.Refuse(controller.Entry{At: now, Command: controller.Command{Type: controller.CmdFire, ID: "f3"}, Answer: controller.Answer{Seq: 2, Error: notArmed}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := s.Entries(func(e controller.Entry) error { ids = append(ids, e.Command.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{"", "f1", "m1", "f2", "f3"}) {
		t.Errorf("journal after migrating %q", ids)
	}
	if a, ok, err := s.Answer("f1"); err != nil || !ok || a.Error == nil || a.Error.Code != controller.ENOTARMED {
		t.Errorf("a migrated refusal's answer: %+v %v %v", a, ok, err)
	}
}
