// Package media keeps the show's films and stills (issue #16) in a folder
// next to the database, each file named by the SHA-256 of its content. An
// upload is streamed to disk while it is hashed, never held in memory; its
// type is read from its first bytes, not from its name; a file refused
// (too large, not a film or a still this server plays, a failed write)
// leaves nothing behind. Files are served with Range requests and cached
// for good: a name that is its content's hash never changes meaning.
package media

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// Errors of an upload; each wraps into a message for the producer.
var (
	ErrTooLarge    = errors.New("media: the file is larger than the limit")
	ErrUnsupported = errors.New("media: not a film or a still this server plays")
	ErrEmpty       = errors.New("media: the file is empty")
)

// Info is what the store learned of a file.
type Info struct {
	Hash string
	Kind controller.MediaKind
	Type string
	Size int64
	// New: Put stored the file; false when the folder held it already.
	New bool
}

// Store is the media folder.
type Store struct {
	dir   string
	limit int64
}

// Open makes (if needed) and opens the media folder dir; files larger
// than limit bytes are refused (0: controller.MaxMediaBytes).
func Open(dir string, limit int64) (*Store, error) {
	if limit <= 0 {
		limit = controller.MaxMediaBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media: make the folder %s: %w", dir, err)
	}
	return &Store{dir: dir, limit: limit}, nil
}

// Dir is the media folder.
func (s *Store) Dir() string { return s.dir }

// Limit is the largest file the store takes, in bytes.
func (s *Store) Limit() int64 { return s.limit }

var hashName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Path is where the file of hash is, "" for a name that is no hash.
func (s *Store) Path(hash string) string {
	if !hashName.MatchString(hash) {
		return ""
	}
	return filepath.Join(s.dir, hash)
}

// Has reports whether the file of hash is in the folder.
func (s *Store) Has(hash string) bool {
	p := s.Path(hash)
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// Put streams r into the folder and returns what it is. A file already
// there (the same content) is kept as it was. On any error nothing is
// left behind.
func (s *Store) Put(r io.Reader) (_ Info, err error) {
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return Info{}, fmt.Errorf("media: a temporary file: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Info{}, fmt.Errorf("media: read the upload: %w", err)
	}
	if n == 0 {
		return Info{}, ErrEmpty
	}
	typ := Sniff(head[:n])
	kind, ok := controller.MediaTypes[typ]
	if !ok {
		return Info{}, ErrUnsupported
	}
	h := sha256.New()
	w := io.MultiWriter(tmp, h)
	if _, err := w.Write(head[:n]); err != nil {
		return Info{}, fmt.Errorf("media: write: %w", err)
	}
	rest, err := io.Copy(w, io.LimitReader(r, s.limit-int64(n)+1))
	if err != nil {
		return Info{}, fmt.Errorf("media: write: %w", err)
	}
	size := int64(n) + rest
	if size > s.limit {
		return Info{}, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("media: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("media: close: %w", err)
	}
	info := Info{Hash: hex.EncodeToString(h.Sum(nil)), Kind: kind, Type: typ, Size: size}
	if s.Has(info.Hash) {
		return info, nil // the deferred clean-up removes the copy
	}
	if err := os.Rename(tmp.Name(), s.Path(info.Hash)); err != nil {
		return Info{}, fmt.Errorf("media: keep the file: %w", err)
	}
	tmp = nil
	info.New = true
	return info, nil
}

// Serve answers a GET or HEAD of the file of hash with its type, Range
// requests and caching for good (its name is its content); 404 when the
// folder does not hold it.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, hash string) {
	p := s.Path(hash)
	f, err := os.Open(p)
	if p == "" || err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		http.Error(w, "media: seek", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	if typ := Sniff(head[:n]); typ != "" {
		hdr.Set("Content-Type", typ)
	}
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	hdr.Set("ETag", `"`+hash+`"`)
	hdr.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, f)
}
