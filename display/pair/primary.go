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

// PrimaryConfig is what a primary needs.
type PrimaryConfig struct {
	// Store is the engine's store; the primary wraps it (use the Primary
	// as the engine's store).
	Store   controller.Store
	History History
	// Sender publishes into the standby's stream; Conn answers the
	// standby's requests. Both on the server's own node.
	Sender *node.Sender
	Conn   *nats.Conn
	// ID names this primary; it stays the same across restarts.
	ID string
	// URLs are where this server's pages are served.
	URLs []string
	// Wait bounds the wait for the standby; 0 is DefaultWait.
	Wait time.Duration
	// Changed is called (outside any lock of the pair) when what
	// operators see of the pair changed; nil for none.
	Changed func()
	Log     *slog.Logger
}

// Primary is the primary's side of the pair. It is the engine's store:
// Commit commits to the wrapped store and, while the standby is in sync,
// returns only once the standby acknowledged the entry (or Wait passed,
// after which the standby is out of sync and the primary goes on alone).
type Primary struct {
	controller.Store
	cfg    PrimaryConfig
	engine *controller.Engine
	log    *slog.Logger

	// mu orders commits and the end of a catch-up: a catch-up declares
	// the standby in sync only with no commit in between.
	mu        sync.Mutex
	committed uint64 // the newest seq committed
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
	subs    []*nats.Subscription
	stop    chan struct{}
	done    chan struct{}
	notice  notifier
}

// NewPrimary wraps cfg.Store. Open the engine on it, then Start.
func NewPrimary(cfg PrimaryConfig) *Primary {
	if cfg.Wait <= 0 {
		cfg.Wait = DefaultWait
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Primary{Store: cfg.Store, cfg: cfg, log: cfg.Log.With("part", "pair"),
		catchUp: make(chan uint64, 1), stop: make(chan struct{}), done: make(chan struct{}),
		notice: newNotifier(cfg.Changed)}
}

// Start answers the standby's hellos and snapshot requests with the
// engine's state, and runs the catch-up. Close stops it.
func (p *Primary) Start(engine *controller.Engine) error {
	p.engine = engine
	p.mu.Lock()
	p.committed = engine.Snapshot().State.Seq
	p.mu.Unlock()
	for subject, handle := range map[string]nats.MsgHandler{subjectHello: p.onHello, subjectSnapshot: p.onSnapshot} {
		sub, err := p.cfg.Conn.Subscribe(subject, handle)
		if err != nil {
			p.Close()
			return fmt.Errorf("pair: answer %s: %w", subject, err)
		}
		p.subs = append(p.subs, sub)
	}
	go p.run()
	go p.notice.run(p.Status)
	return nil
}

// Commit commits rec to the wrapped store; while the standby is in sync
// it publishes the entry first (the two disks write at once) and returns
// once the standby has it on disk, or after Wait, out of sync.
func (p *Primary) Commit(rec controller.Record) error {
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
		pending, err = p.cfg.Sender.Start(seq, body)
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
func (p *Primary) committedAt(seq uint64, synced bool) {
	p.committed = seq
	p.status.Lock()
	p.times.add(seq, time.Now())
	if !synced && !p.contact.IsZero() {
		p.unsync++
	}
	p.status.Unlock()
}

// lose marks the standby out of sync, with mu held.
func (p *Primary) lose(cause error, resync bool) {
	p.inSync.Store(false)
	p.status.Lock()
	p.resync = p.resync || resync
	p.status.Unlock()
	p.log.Warn("standby out of sync; the primary goes on alone", "err", cause)
	p.notice.soon()
}

// onHello answers the standby: where the primary is, and whether the
// standby must start over; it starts a catch-up when the standby can be
// brought up from this server's journal.
func (p *Primary) onHello(m *nats.Msg) {
	var h hello
	if err := json.Unmarshal(m.Data, &h); err != nil {
		p.log.Warn("pair: a malformed hello", "err", err)
		return
	}
	head := p.head()
	resync, catchFrom := p.judge(h, head)
	p.status.Lock()
	first := p.contact.IsZero()
	p.peer, p.contact = h, time.Now()
	resync = resync || p.resync
	p.resync = false
	reply := helloReply{ID: p.cfg.ID, Epoch: Epoch, Seq: head, InSync: p.InSync(), Unsynced: p.unsync,
		Resync: resync, URLs: p.cfg.URLs, LagMs: p.times.lagMs(h.Seq, head, time.Now()), DivergedSeq: h.DivergedSeq}
	p.status.Unlock()
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
	p.notice.soon()
}

// judge decides what a hello calls for: a snapshot (the standby holds
// another primary's state, or a state this one never had), a catch-up
// from its applied seq, or nothing (in sync, or entries still waiting in
// its stream).
func (p *Primary) judge(h hello, head uint64) (resync bool, catchFrom *uint64) {
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

func (p *Primary) peerDiverged() uint64 {
	p.status.Lock()
	defer p.status.Unlock()
	return p.peer.DivergedSeq
}

// markOut marks the standby out of sync (it reported a gap or a
// divergence, or holds another state).
func (p *Primary) markOut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inSync.Load() {
		p.lose(errors.New("the standby reported a gap, a divergence or another primary's state"), false)
	}
}

// head is the newest seq committed.
func (p *Primary) head() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.committed
}

// InSync reports whether commands wait for the standby.
func (p *Primary) InSync() bool { return p.inSync.Load() }

// onSnapshot answers a standby that starts over with the engine's
// current show and state.
func (p *Primary) onSnapshot(m *nats.Msg) {
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

// Close stops answering the standby and the catch-up.
func (p *Primary) Close() {
	for _, sub := range p.subs {
		_ = sub.Unsubscribe()
	}
	p.subs = nil
	select {
	case <-p.stop:
	default:
		close(p.stop)
		if p.engine != nil {
			<-p.done
		}
	}
	p.notice.close()
}

// SetURLs sets where this server's pages are served, once it listens.
// Call it before Start.
func (p *Primary) SetURLs(urls []string) { p.cfg.URLs = urls }

// SetChanged sets what is called when operators' view of the pair
// changed, once the HTTP edge exists. Call it before Start.
func (p *Primary) SetChanged(changed func()) { p.notice.changed = changed }
