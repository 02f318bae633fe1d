package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

func TestStats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.db")
	store := openStore(t, path)
	st, err := store.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Path != path || st.HasShow || st.JournalEntries != 0 || st.FormatVersion != bolt.FormatVersion || st.SizeBytes <= 0 {
		t.Fatalf("empty store: %+v", st)
	}
	e := openEngine(t, store, nil)
	op := controller.Actor{Role: "operator"}
	if _, err := e.Execute(controller.Command{Type: controller.CmdNext, ID: "c1"}, op); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(controller.Command{Type: controller.CmdClearMsg}, op); err == nil {
		t.Fatal("clearing no message was accepted")
	}
	if st, err = store.Stats(); err != nil {
		t.Fatal(err)
	}
	// load-show, next (identified) and the refused clear-message.
	if !st.HasShow || st.JournalEntries != 3 || st.Answers != 1 {
		t.Fatalf("after three entries: %+v", st)
	}
}
