// Package mediasync copies the show's media between the two servers of a
// pair (issue #16), over NATS request/reply across their leaf link: every
// server answers for the files it holds, and fetches, chunk by chunk, the
// files its show names and it lacks. A standby thus holds the films before
// it is needed, and a primary that comes back after a takeover gets the
// ones added meanwhile. A copy is checked against its name, the SHA-256 of
// the content, so a broken transfer is thrown away and fetched again.
package mediasync

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/display/media"
)

// Subject is where a server asks for a chunk of a file.
const Subject = "phatdong.pair.media"

// Tuning of the copy.
const (
	// ChunkSize is one reply's payload: well under NATS's 1 MiB limit.
	ChunkSize = 256 << 10
	// requestTimeout bounds one chunk; nobody holding the file is a
	// timeout too, and the next round asks again.
	requestTimeout = 2 * time.Second
	// Every is how often a server looks for files its show names and it
	// lacks.
	Every = 2 * time.Second
)

// Headers of a chunk's reply.
const (
	headerSize  = "Phatdong-Size"  // the whole file's size
	headerError = "Phatdong-Error" // why the chunk cannot be sent
)

// Config is what the copier needs.
type Config struct {
	Conn  *nats.Conn
	Store *media.Store
	// Wanted lists the hashes of the media the server's show names.
	Wanted func() []string
	Log    *slog.Logger
}

// Sync answers for this server's files and fetches the missing ones.
type Sync struct {
	cfg  Config
	sub  *nats.Subscription
	done chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	missing []string // as of the last round
}

// Start subscribes and starts the copying loop.
func Start(cfg Config) (*Sync, error) {
	if cfg.Conn == nil || cfg.Store == nil || cfg.Wanted == nil {
		return nil, errors.New("mediasync: needs a connection, a media folder and the show's media")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Sync{cfg: cfg, done: make(chan struct{})}
	sub, err := cfg.Conn.Subscribe(Subject, s.answer)
	if err != nil {
		return nil, fmt.Errorf("mediasync: subscribe: %w", err)
	}
	s.sub = sub
	s.wg.Add(1)
	go s.loop()
	return s, nil
}

// answer sends the chunk asked for, when this server holds the file;
// otherwise it keeps quiet, so that the server that holds it answers.
func (s *Sync) answer(m *nats.Msg) {
	hash := m.Header.Get("Hash")
	offset, err := strconv.ParseInt(m.Header.Get("Offset"), 10, 64)
	if err != nil || offset < 0 || !s.cfg.Store.Has(hash) {
		return
	}
	f, err := os.Open(s.cfg.Store.Path(hash))
	if err != nil {
		return
	}
	defer f.Close()
	reply := nats.NewMsg(m.Reply)
	fi, err := f.Stat()
	if err == nil {
		reply.Header.Set(headerSize, strconv.FormatInt(fi.Size(), 10))
		buf := make([]byte, ChunkSize)
		var n int
		n, err = f.ReadAt(buf, offset)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		reply.Data = buf[:n]
	}
	if err != nil {
		reply.Header.Set(headerError, err.Error())
		reply.Data = nil
	}
	if err := s.cfg.Conn.PublishMsg(reply); err != nil {
		s.cfg.Log.Warn("send a media chunk", "hash", hash, "err", err)
	}
}

func (s *Sync) loop() {
	defer s.wg.Done()
	tick := time.NewTicker(Every)
	defer tick.Stop()
	for {
		s.round()
		select {
		case <-s.done:
			return
		case <-tick.C:
		}
	}
}

// round fetches every file the show names and the folder lacks.
func (s *Sync) round() {
	var missing []string
	for _, h := range s.cfg.Wanted() {
		if !s.cfg.Store.Has(h) {
			missing = append(missing, h)
		}
	}
	s.mu.Lock()
	s.missing = missing
	s.mu.Unlock()
	for _, h := range missing {
		select {
		case <-s.done:
			return
		default:
		}
		if err := s.fetch(h); err != nil {
			s.cfg.Log.Debug("fetch a media file from the other server", "hash", h, "err", err)
			continue
		}
		s.cfg.Log.Info("media file copied from the other server", "hash", h)
	}
}

// fetch copies the file of hash, chunk by chunk, into the folder, and
// keeps it only when its content is its name.
func (s *Sync) fetch(hash string) error {
	info, err := s.cfg.Store.Put(&chunks{s: s, hash: hash})
	if err != nil {
		return err
	}
	if info.Hash != hash {
		if info.New {
			s.cfg.Store.Remove([]string{info.Hash}) // not what was asked for
		}
		return fmt.Errorf("mediasync: the copy of %s hashes to %s", hash, info.Hash)
	}
	return nil
}

// Missing lists the files the show names and the folder lacked at the
// last round.
func (s *Sync) Missing() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.missing...)
}

// Close stops answering and fetching.
func (s *Sync) Close() {
	select {
	case <-s.done:
		return
	default:
	}
	close(s.done)
	_ = s.sub.Unsubscribe()
	s.wg.Wait()
}

// chunks reads a file of the other server, one request per chunk.
type chunks struct {
	s      *Sync
	hash   string
	offset int64
	size   int64 // the file's, once the first reply told it
	buf    []byte
	begun  bool
}

func (c *chunks) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.begun && c.offset >= c.size {
			return 0, io.EOF
		}
		select {
		case <-c.s.done:
			return 0, errors.New("mediasync: closing")
		default:
		}
		req := nats.NewMsg(Subject)
		req.Header.Set("Hash", c.hash)
		req.Header.Set("Offset", strconv.FormatInt(c.offset, 10))
		m, err := c.s.cfg.Conn.RequestMsg(req, requestTimeout)
		if err != nil {
			return 0, fmt.Errorf("mediasync: chunk at %d: %w", c.offset, err)
		}
		if e := m.Header.Get(headerError); e != "" {
			return 0, fmt.Errorf("mediasync: chunk at %d: %s", c.offset, e)
		}
		size, err := strconv.ParseInt(m.Header.Get(headerSize), 10, 64)
		if err != nil || (c.begun && size != c.size) || (len(m.Data) == 0 && c.offset < size) {
			return 0, fmt.Errorf("mediasync: a malformed chunk at %d", c.offset)
		}
		c.size, c.begun = size, true
		c.buf = m.Data
		c.offset += int64(len(m.Data))
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}
