package pair

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/node"
)

// History is what the primary reads of its own journal to bring a standby
// up (controller/bolt's Store has it).
type History interface {
	// Since calls fn for every accepted entry after seq, in order, with
	// the show of a show-replacing entry; an error wrapping
	// controller/bolt's ErrShowNotKept when such a show is gone.
	Since(seq uint64, fn func(e controller.Entry, show *controller.Show) error) error
	// DigestAt is the digest of the state the entry of seq committed.
	DigestAt(seq uint64) (string, bool, error)
}

// primaryConfig is what a primary needs.
type primaryConfig struct {
	// Store is the database; the primary side wraps it and is the
	// engine's store (Pair.Store).
	Store   controller.Store
	History History
	// Node is the server's own node, Conn a connection to it: the
	// primary publishes into the standby's stream and answers its
	// requests there.
	Node *node.Node
	Conn *nats.Conn
	// ID names this primary; it stays the same across restarts.
	ID string
	// URLs are where this server's pages are served.
	URLs []string
	// Wait bounds the wait for the standby; 0 is DefaultWait.
	Wait time.Duration
	// Credentials are offered to the standby; nil offers none.
	Credentials Credentials
	// Changed is told, without blocking, that what operators see of the
	// pair may have changed; nil for none.
	Changed func()
	Log     *slog.Logger
}

// primarySide is the primary's side of the pair. It is the engine's store:
// Commit commits to the wrapped store and, while the standby is in sync,
// returns only once the standby acknowledged the entry (or Wait passed,
// after which the standby is out of sync and the primary goes on alone).
type primarySide struct {
	controller.Store
	cfg    primaryConfig
	engine *controller.Engine
	log    *slog.Logger

	// mu orders commits and the end of a catch-up: a catch-up declares
	// the standby in sync only with no commit in between.
	mu sync.Mutex
	// committed is the newest seq committed: written with mu held, read
	// without it (a status reader must not wait for a commit in flight).
	committed atomic.Uint64
	// inSync is written with mu held and read without it: a status
	// reader must not wait for a commit in flight.
	inSync atomic.Bool

	status  sync.Mutex // guards the fields below; never held across I/O
	peer    hello
	contact time.Time // the last hello; zero before the first
	unsync  uint64    // commands answered while a standby was paired but out of sync
	resync  bool      // the next hello is told to start over from a snapshot
	times   commitTimes

	catchUp chan uint64 // the standby's applied seq, to catch up from
	sender  *node.Sender
	subs    []*nats.Subscription
	stop    chan struct{} // nil while not started
	done    chan struct{}
}

// newPrimary wraps cfg.Store. Open the engine on it, then Start.
func newPrimary(cfg primaryConfig) *primarySide {
	if cfg.Wait <= 0 {
		cfg.Wait = DefaultWait
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Changed == nil {
		cfg.Changed = func() {}
	}
	return &primarySide{Store: cfg.Store, cfg: cfg, log: cfg.Log.With("part", "pair"), catchUp: make(chan uint64, 1)}
}

// Start makes this server the primary of the pair: it answers the
// standby's hellos and snapshot requests with the engine's state, and runs
// the catch-up. Stop ends it; a server that steps down and takes over
// again starts it again. Until Start, Commit only commits.
func (p *primarySide) Start(engine *controller.Engine) error {
	// The sender removes a standby stream this node held as a standby:
	// from now on the entries must land on the other server's disk.
	sender, err := p.cfg.Node.Sender(p.cfg.Conn)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.engine, p.sender = engine, sender
	p.committed.Store(engine.Snapshot().State.Seq)
	p.mu.Unlock()
	p.status.Lock()
	p.peer, p.contact, p.resync = hello{}, time.Time{}, false
	p.status.Unlock()
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	for subject, handle := range map[string]nats.MsgHandler{subjectHello: p.onHello, subjectSnapshot: p.onSnapshot, subjectCredentials: p.onCredentials} {
		sub, err := p.cfg.Conn.Subscribe(subject, handle)
		if err != nil {
			p.Stop()
			return fmt.Errorf("pair: answer %s: %w", subject, err)
		}
		p.subs = append(p.subs, sub)
	}
	go p.run()
	return nil
}

// Commit commits rec to the wrapped store; while the standby is in sync
// it publishes the entry first (the two disks write at once) and returns
// once the standby has it on disk, or after Wait, out of sync.
func (p *primarySide) Commit(rec controller.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	seq := rec.State.Seq
	if !p.inSync.Load() {
		if err := p.Store.Commit(rec); err != nil {
			return err
		}
		p.committedAt(seq, false)
		return nil
	}
	var pending node.Pending
	body, err := encodeEntry(rec.Entry, rec.Show)
	if err == nil {
		pending, err = p.sender.Start(seq, body)
	}
	if cerr := p.Store.Commit(rec); cerr != nil {
		// The standby may hold an entry this server never committed:
		// only a snapshot brings it back to the truth.
		p.lose(fmt.Errorf("this server's own commit failed: %w", cerr), true)
		return cerr
	}
	if err == nil {
		err = pending.Wait(p.cfg.Wait)
	}
	if err != nil {
		p.lose(err, false)
		p.committedAt(seq, false)
		return nil
	}
	p.committedAt(seq, true)
	return nil
}

// committedAt notes a commit: its time for the lag, and whether the
// standby had it when it was answered. Called with mu held.
func (p *primarySide) committedAt(seq uint64, synced bool) {
	p.committed.Store(seq)
	p.status.Lock()
	p.times.add(seq, time.Now())
	if !synced && !p.contact.IsZero() {
		p.unsync++
	}
	p.status.Unlock()
}

// lose marks the standby out of sync, with mu held.
func (p *primarySide) lose(cause error, resync bool) {
	p.inSync.Store(false)
	p.status.Lock()
	p.resync = p.resync || resync
	p.status.Unlock()
	p.log.Warn("standby out of sync; the primary goes on alone", "err", cause)
	p.cfg.Changed()
}

// onHello answers the standby: where the primary is, and whether the
// standby must start over; it starts a catch-up when the standby can be
// brought up from this server's journal.
func (p *primarySide) onHello(m *nats.Msg) {
	var h hello
	if err := json.Unmarshal(m.Data, &h); err != nil {
		p.log.Warn("pair: a malformed hello", "err", err)
		return
	}
	head, epoch := p.head(), p.epoch()
	resync, catchFrom := p.judge(h, head)
	p.status.Lock()
	first := p.contact.IsZero()
	p.peer, p.contact = h, time.Now()
	resync = resync || p.resync
	p.resync = false
	reply := helloReply{ID: p.cfg.ID, Epoch: epoch, Seq: head, InSync: p.InSync(), Unsynced: p.unsync,
		Resync: resync, URLs: p.cfg.URLs, LagMs: p.times.lagMs(h.Seq, head, time.Now()), DivergedSeq: h.DivergedSeq}
	p.status.Unlock()
	if p.cfg.Credentials != nil {
		if v, _, err := p.cfg.Credentials.Export(); err == nil {
			reply.Credentials = v
		}
	}
	if first {
		p.log.Info("standby paired", "urls", h.URLs, "seq", h.Seq)
	}
	if body, err := json.Marshal(reply); err == nil {
		_ = m.Respond(body)
	}
	if catchFrom != nil {
		select {
		case p.catchUp <- *catchFrom:
		default:
		}
	}
	p.cfg.Changed()
}

// epoch is the engine's: raised by each takeover.
func (p *primarySide) epoch() uint64 { return p.engine.Epoch() }

// judge decides what a hello calls for: a snapshot (the standby holds
// another primary's state, or a state this one never had), a catch-up
// from its applied seq, or nothing (in sync, or entries still waiting in
// its stream).
func (p *primarySide) judge(h hello, head uint64) (resync bool, catchFrom *uint64) {
	if h.Following != p.cfg.ID {
		p.markOut()
		return true, nil
	}
	if h.Gap != 0 || h.DivergedSeq > p.peerDiverged() {
		p.markOut()
	}
	if p.InSync() || h.Waiting > 0 {
		return false, nil
	}
	if h.Seq > head {
		return true, nil
	}
	digest, ok, err := p.cfg.History.DigestAt(h.Seq)
	if err != nil {
		p.log.Warn("pair: look up a digest", "seq", h.Seq, "err", err)
		return false, nil
	}
	if !ok || digest != h.Digest {
		return true, nil
	}
	from := h.Seq
	return false, &from
}

func (p *primarySide) peerDiverged() uint64 {
	p.status.Lock()
	defer p.status.Unlock()
	return p.peer.DivergedSeq
}

// markOut marks the standby out of sync (it reported a gap or a
// divergence, or holds another state).
func (p *primarySide) markOut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inSync.Load() {
		p.lose(errors.New("the standby reported a gap, a divergence or another primary's state"), false)
	}
}

// head is the newest seq committed.
func (p *primarySide) head() uint64 { return p.committed.Load() }

// InSync reports whether commands wait for the standby.
func (p *primarySide) InSync() bool { return p.inSync.Load() }

// onSnapshot answers a standby that starts over with the engine's
// current show and state.
func (p *primarySide) onSnapshot(m *nats.Msg) {
	snap := p.engine.Snapshot()
	body, err := json.Marshal(snapshotMsg{ID: p.cfg.ID, Show: snap.Show, State: snap.State, At: controller.UnixMs(p.engine.Now())})
	if err != nil {
		p.log.Error("pair: encode a snapshot", "err", err)
		return
	}
	if err := m.Respond(body); err != nil {
		p.log.Warn("pair: send a snapshot", "err", err)
	}
}

// onCredentials answers a standby whose credentials are of another
// version with this server's.
func (p *primarySide) onCredentials(m *nats.Msg) {
	if p.cfg.Credentials == nil {
		return
	}
	version, records, err := p.cfg.Credentials.Export()
	if err != nil {
		p.log.Error("pair: export the credentials", "err", err)
		return
	}
	body, err := json.Marshal(credentialsMsg{Version: version, Records: records})
	if err == nil {
		err = m.Respond(body)
	}
	if err != nil {
		p.log.Warn("pair: send the credentials", "err", err)
	}
}

// Stop ends this server's time as the primary of the pair: it no longer
// answers the standby, and commits only commit. It may be called when not
// started.
func (p *primarySide) Stop() {
	for _, sub := range p.subs {
		_ = sub.Unsubscribe()
	}
	p.subs = nil
	if p.stop != nil {
		close(p.stop)
		<-p.done
		p.stop = nil
	}
	p.mu.Lock()
	p.inSync.Store(false)
	p.mu.Unlock()
	p.status.Lock()
	p.contact = time.Time{}
	p.status.Unlock()
}

// SetURLs sets where this server's pages are served, once it listens.
// Call it before Start.
func (p *primarySide) SetURLs(urls []string) { p.cfg.URLs = urls }
