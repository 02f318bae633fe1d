package mediasync

import (
	"bytes"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/node/nodetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// server is one server's media folder and its copier, on a shared node.
type server struct {
	store  *media.Store
	sync   *Sync
	wanted atomic.Pointer[[]string]
}

func start(t *testing.T, n *node.Node) *server {
	t.Helper()
	s := &server{}
	var err error
	if s.store, err = media.Open(filepath.Join(t.TempDir(), "media"), 0); err != nil {
		t.Fatal(err)
	}
	s.wanted.Store(&[]string{})
	nc := nodetest.Connect(t, n)
	if s.sync, err = Start(Config{Conn: nc, Store: s.store, Wanted: func() []string { return *s.wanted.Load() }, Log: quiet}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.sync.Close)
	return s
}

var startNode = nodetest.Start

// film is an MP4-typed file of size bytes.
func film(size int) []byte {
	b := make([]byte, size)
	copy(b, "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
	r := rand.New(rand.NewPCG(1, 2))
	for i := 24; i < size; i++ {
		b[i] = byte(r.Uint32())
	}
	return b
}

func eventually(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
	}
}

// A server fetches the film its show names from the one that holds it,
// whole, over several chunks.
func TestAServerFetchesTheFilmsItsShowNames(t *testing.T) {
	n := startNode(t)
	primary, standby := start(t, n), start(t, n)
	data := film(3*ChunkSize + 12345)
	info, err := primary.store.Put(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	standby.wanted.Store(&[]string{info.Hash})
	eventually(t, 10*time.Second, "the standby holds the film", func() bool { return standby.store.Has(info.Hash) })
	got, err := os.ReadFile(standby.store.Path(info.Hash))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the copy differs (%v)", err)
	}
	if m := standby.sync.Missing(); len(m) != 0 {
		eventually(t, 5*time.Second, "nothing missing", func() bool { return len(standby.sync.Missing()) == 0 })
	}
}

// A file whose content is not its name (a broken disk, a tampered
// folder) is never kept by the other server.
func TestACorruptFileIsNotCopied(t *testing.T) {
	n := startNode(t)
	primary, standby := start(t, n), start(t, n)
	info, err := primary.store.Put(bytes.NewReader(film(50_000)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(primary.store.Path(info.Hash), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("rot"), 40_000); err != nil {
		t.Fatal(err)
	}
	f.Close()
	standby.wanted.Store(&[]string{info.Hash})
	time.Sleep(2*Every + time.Second)
	entries, _ := os.ReadDir(standby.store.Dir())
	if standby.store.Has(info.Hash) || len(entries) != 0 {
		t.Fatalf("the standby kept a corrupt copy: %d files", len(entries))
	}
	if m := standby.sync.Missing(); len(m) != 1 || m[0] != info.Hash {
		t.Fatalf("missing %v, want the corrupt film", m)
	}
}

// Nobody holding the file: the server keeps asking, holds nothing.
func TestNobodyHoldsTheFile(t *testing.T) {
	n := startNode(t)
	lonely := start(t, n)
	hash := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	lonely.wanted.Store(&[]string{hash})
	eventually(t, 5*time.Second, "the file listed missing", func() bool { return len(lonely.sync.Missing()) == 1 })
	if lonely.store.Has(hash) {
		t.Fatal("a file out of nowhere")
	}
}
