package bolt_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// TestBackupWhileCommandsFlow copies the store again and again while
// another goroutine commits commands: every copy verifies and holds at
// least every command acknowledged before it began.
func TestBackupWhileCommandsFlow(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t, filepath.Join(dir, "show.db"))
	e := openEngine(t, store, nil)
	title := e.Snapshot().Show.Title
	op := controller.Actor{Role: "operator"}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := controller.Command{Type: controller.CmdNext}
			if i%2 == 1 {
				c.Type = controller.CmdPrevious
			}
			if _, err := e.Execute(c, op); err != nil {
				t.Errorf("%s: %v", c.Type, err)
				return
			}
		}
	}()
	var copies int
	for i := 0; i < 20; i++ {
		acked := e.Snapshot().State.Seq
		path := filepath.Join(dir, "copy.db")
		var buf bytes.Buffer
		n, err := store.Backup(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) {
			t.Fatalf("Backup said %d bytes, wrote %d", n, buf.Len())
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		v, err := bolt.Verify(path)
		if err != nil {
			t.Fatalf("copy %d: %v", i, err)
		}
		if v.Seq < acked {
			t.Fatalf("copy %d holds seq %d, but %d was acknowledged before it began", i, v.Seq, acked)
		}
		if v.Title != title || v.Entries == 0 {
			t.Fatalf("copy %d: %+v", i, v)
		}
		copies++
	}
	close(stop)
	wg.Wait()
	// Once the commands stop, a copy holds exactly the last one.
	final := e.Snapshot().State.Seq
	path := filepath.Join(dir, "final.db")
	var size int64
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.BackupSized(func(n int64) (io.Writer, error) { size = n; return f, nil }); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if st, _ := os.Stat(path); st.Size() != size {
		t.Fatalf("announced %d bytes, the file has %d", size, st.Size())
	}
	v, err := bolt.Verify(path)
	if err != nil || v.Seq != final || final < 20 {
		t.Fatalf("final copy: %+v %v, want seq %d (> 20)", v, err, final)
	}
	// The copy opens as a store and resumes the same state.
	again := openStore(t, path)
	saved, err := again.Load()
	if err != nil || saved == nil || saved.State.Seq != final {
		t.Fatalf("reopened copy: %v %v", saved, err)
	}
}

func TestVerifyRefusesWhatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("x"), 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := bolt.Verify(junk); err == nil {
		t.Error("Verify accepted a file of junk")
	}
	if _, err := bolt.Verify(filepath.Join(dir, "absent.db")); err == nil {
		t.Error("Verify accepted a missing file")
	} else if _, statErr := os.Stat(filepath.Join(dir, "absent.db")); statErr == nil {
		t.Error("Verify created the missing file")
	}
	// A fresh store (never started a show) verifies, with nothing in it.
	empty := filepath.Join(dir, "empty.db")
	s, err := bolt.Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	v, err := bolt.Verify(empty)
	if err != nil || v.Seq != 0 || v.Format != bolt.FormatVersion {
		t.Fatalf("empty store: %+v %v", v, err)
	}
}
