package pair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/protocol"
)

// Marks is where a standby keeps which primary's state it holds
// (controller/bolt's Store has it).
type Marks interface {
	LookupSecret(name string) (string, error)
	SetSecret(name, value string) error
}

// markFollowing names the primary whose state the standby holds.
const markFollowing = "pair-following"

// standbyConfig is what a standby needs.
type standbyConfig struct {
	// Engine is the standby's own engine; the standby makes it refuse
	// commands (SetPrimary(false)).
	Engine *controller.Engine
	// Node is the standby's node, linked to the primary's as a leaf; Conn
	// a connection to it.
	Node  *node.Node
	Conn  *nats.Conn
	Marks Marks
	// URLs are where this server's pages are served.
	URLs []string
	// Peer is the primary's address as given (--standby-of).
	Peer    string
	Changed func()
	Log     *slog.Logger
	// Note is journalled with the first snapshot the standby starts over
	// from (what an old primary stepping down discarded).
	Note string
	// Credentials receive the primary's; nil receives none.
	Credentials Credentials
	// MediaMissing counts the show's media files this server lacks; nil: 0.
	MediaMissing func() int
}

// standbySide is the standby's side of the pair: it applies the primary's
// entries from its stream in order, says hello every HelloEvery, and
// starts over from a snapshot of the primary's when told or when its
// state turned out different.
type standbySide struct {
	cfg   standbyConfig
	log   *slog.Logger
	inbox *node.Inbox

	mu        sync.Mutex
	following string
	primary   helloReply
	contact   time.Time
	gap       uint64 // an entry that came ahead of its turn, until applied in order
	diverged  uint64
	restart   bool // start over from a snapshot at the next hello
	waiting   uint64
	note      string // for the next snapshot's journal entry
	creds     string // the version of the primary's credentials imported

	ctx    context.Context // ends with Close: requests in flight give up
	cancel context.CancelFunc
	stop   chan struct{}
	done   chan struct{}
}

// startStandby makes the engine a standby's and starts following.
func startStandby(cfg standbyConfig) (*standbySide, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Changed == nil {
		cfg.Changed = func() {}
	}
	cfg.Engine.SetPrimary(false)
	s := &standbySide{cfg: cfg, log: cfg.Log.With("part", "pair"), stop: make(chan struct{}), done: make(chan struct{}), note: cfg.Note}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var err error
	if s.following, err = cfg.Marks.LookupSecret(markFollowing); err != nil {
		return nil, fmt.Errorf("pair: read whom this standby follows: %w", err)
	}
	if s.inbox, err = cfg.Node.Inbox(cfg.Conn, s.apply); err != nil {
		return nil, err
	}
	go s.run()
	return s, nil
}

// apply applies one entry of the stream. What cannot be applied in turn
// is dropped and said in the next hello: the primary sends it again or
// has the standby start over.
func (s *standbySide) apply(seq uint64, body []byte) error {
	var m entryMsg
	if err := json.Unmarshal(body, &m); err != nil || m.Entry.Answer.Seq != seq {
		s.log.Error("pair: a malformed entry in the stream; dropped", "seq", seq, "err", err)
		return nil
	}
	_, err := s.cfg.Engine.Follow(m.Entry, m.Show)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		if s.gap != 0 && seq >= s.gap {
			s.gap = 0
		}
		return nil
	case errors.Is(err, controller.ErrApplied):
		return nil
	case errors.Is(err, controller.ErrGap):
		if s.gap == 0 {
			s.gap = seq
		}
		return nil
	case errors.Is(err, controller.ErrDiverged):
		s.diverged, s.restart = seq, true
		s.log.Error("pair: this standby's state differs from the primary's; starting over from a snapshot", "seq", seq, "err", err)
		s.cfg.Changed()
		return nil
	case errors.Is(err, controller.ErrNotFollowable):
		s.restart = true // e.g. the primary's own restore: only a snapshot follows it
		return nil
	default:
		return err // the store failed: try again
	}
}

func (s *standbySide) run() {
	defer close(s.done)
	tick := time.NewTicker(HelloEvery)
	defer tick.Stop()
	for {
		s.sayHello()
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
	}
}

// sayHello tells the primary where this standby is and acts on the
// answer.
func (s *standbySide) sayHello() {
	ctx, cancel := context.WithTimeout(s.ctx, requestTimeout)
	defer cancel()
	waiting, _, err := s.inbox.Held(ctx)
	if err != nil && s.ctx.Err() == nil {
		s.log.Warn("pair: read the stream's state", "err", err)
	}
	st := s.cfg.Engine.Snapshot().State
	s.mu.Lock()
	s.waiting = waiting
	h := hello{Following: s.following, Seq: st.Seq, Digest: controller.Digest(st), Waiting: waiting,
		Gap: s.gap, DivergedSeq: s.diverged, URLs: s.cfg.URLs, MediaMissing: s.mediaMissing()}
	s.mu.Unlock()
	body, _ := json.Marshal(h)
	msg, err := s.cfg.Conn.RequestWithContext(ctx, subjectHello, body)
	if err != nil {
		s.cfg.Changed()
		return
	}
	var r helloReply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		s.log.Warn("pair: a malformed answer to hello", "err", err)
		return
	}
	s.mu.Lock()
	s.primary, s.contact = r, time.Now()
	restart := r.Resync || s.restart
	s.mu.Unlock()
	if restart {
		if err := s.startOver(); err != nil {
			s.log.Warn("pair: start over from the primary's snapshot", "err", err)
		}
	}
	if err := s.syncCredentials(r.Credentials); err != nil {
		s.log.Warn("pair: copy the primary's credentials", "err", err)
	}
	s.cfg.Changed()
}

// syncCredentials imports the primary's credentials when their version
// differs from the one imported last.
func (s *standbySide) syncCredentials(version string) error {
	s.mu.Lock()
	have := s.creds
	s.mu.Unlock()
	if s.cfg.Credentials == nil || version == "" || version == have {
		return nil
	}
	var c credentialsMsg
	if err := s.ask(subjectCredentials, &c); err != nil {
		return err
	}
	if err := s.cfg.Credentials.Import(c.Records); err != nil {
		return err
	}
	s.mu.Lock()
	s.creds = c.Version
	s.mu.Unlock()
	s.log.Info("standby copied the primary's credentials", "version", c.Version)
	return nil
}

// ask requests subject of the primary (at most snapshotTimeout) and
// decodes its answer into out.
func (s *standbySide) ask(subject string, out any) error {
	ctx, cancel := context.WithTimeout(s.ctx, snapshotTimeout)
	defer cancel()
	msg, err := s.cfg.Conn.RequestWithContext(ctx, subject, nil)
	if err != nil {
		return fmt.Errorf("ask %s: %w", subject, err)
	}
	if err := json.Unmarshal(msg.Data, out); err != nil {
		return fmt.Errorf("a malformed answer to %s: %w", subject, err)
	}
	return nil
}

// startOver restores the engine from a snapshot of the primary's show and
// state, and remembers whom it follows.
func (s *standbySide) startOver() error {
	var snap snapshotMsg
	if err := s.ask(subjectSnapshot, &snap); err != nil {
		return err
	}
	if snap.Show == nil || snap.ID == "" {
		return errors.New("a snapshot without its show or its primary's id")
	}
	s.mu.Lock()
	note := s.note
	s.mu.Unlock()
	if _, err := s.cfg.Engine.Restore(snap.Show, snap.State, snap.At, controller.Actor{Role: "system", Name: "primary " + snap.ID}, note); err != nil {
		return fmt.Errorf("restore seq %d: %w", snap.State.Seq, err)
	}
	if err := s.cfg.Marks.SetSecret(markFollowing, snap.ID); err != nil {
		return fmt.Errorf("remember the primary: %w", err)
	}
	s.mu.Lock()
	s.following, s.restart, s.gap, s.note = snap.ID, false, 0, ""
	s.mu.Unlock()
	s.log.Info("standby started over from the primary's snapshot", "seq", snap.State.Seq)
	return nil
}

// mediaMissing counts the show's media files this server lacks.
func (s *standbySide) mediaMissing() int {
	if s.cfg.MediaMissing == nil {
		return 0
	}
	return s.cfg.MediaMissing()
}

// Status is the pair as the standby's operators see it.
func (s *standbySide) Status() *protocol.Pair {
	own := s.cfg.Engine.Snapshot().State
	applied := own.Seq
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.primary
	connected := !s.contact.IsZero() && time.Since(s.contact) < ContactTimeout
	st := &protocol.Pair{
		Role: protocol.RoleStandby, Epoch: max(p.Epoch, own.Epoch), Peer: s.cfg.Peer, Connected: connected,
		// The primary's word, as long as it is heard.
		InSync: connected && p.InSync && s.gap == 0 && !s.restart, Seq: max(p.Seq, applied), PeerSeq: applied,
		Diverged: s.diverged != 0, DivergedSeq: s.diverged, Unsynced: p.Unsynced, LagMs: p.LagMs,
		MediaMissing: s.mediaMissing(),
	}
	if !s.contact.IsZero() {
		st.LastContact = s.contact.UnixMilli()
	}
	if p.Seq > applied {
		st.LagCommands = p.Seq - applied
	}
	return st
}

// Close stops following; entries not yet applied stay in the stream.
func (s *standbySide) Close() {
	select {
	case <-s.stop:
		return
	default:
	}
	s.cancel()
	close(s.stop)
	<-s.done
	s.inbox.Stop()
}

// Holds is the newest sequence this standby holds on its disk: the last
// applied, or a newer one waiting in its stream.
func (s *standbySide) Holds(ctx context.Context) (uint64, error) {
	_, newest, err := s.inbox.Held(ctx)
	if err != nil {
		return 0, err
	}
	return max(newest, s.cfg.Engine.Snapshot().State.Seq), nil
}

// drain waits, at most timeout, until every entry this standby
// acknowledged is applied, and reports how many are left.
func (s *standbySide) drain(timeout time.Duration) uint64 {
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(s.ctx, requestTimeout)
		waiting, _, err := s.inbox.Held(ctx)
		cancel()
		if err == nil && waiting == 0 {
			return 0
		}
		if time.Now().After(deadline) {
			return max(waiting, 1)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
