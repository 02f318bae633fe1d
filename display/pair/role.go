package pair

import (
	"context"
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
	"github.com/phatdong/phatdong/protocol"
)

// subjectPrimary carries the primary's announcement, every HelloEvery: its
// id and epoch. A primary that hears of a higher epoch steps down.
const subjectPrimary = "phatdong.pair.primary"

// drainTimeout bounds how long a takeover waits for the standby to apply
// what it acknowledged.
const drainTimeout = 3 * time.Second

// announcement is what the primary says of itself to whoever listens.
type announcement struct {
	ID    string `json:"id"`
	Epoch uint64 `json:"epoch"`
	// EpochSeq is the seq of the takeover that began the epoch.
	EpochSeq uint64   `json:"epochSeq"`
	Seq      uint64   `json:"seq"`
	URLs     []string `json:"urls,omitempty"`
}

// Config is what a server's side of the pair needs.
type Config struct {
	// Store is the database the engine commits to, History and Marks
	// the same database's journal and marks.
	Store   controller.Store
	History History
	Marks   Marks
	// Node is the server's NATS node, Conn a connection to it.
	Node *node.Node
	Conn *nats.Conn
	// ID names this server; it stays the same across restarts.
	ID string
	// Peer is the primary's address a standby was started with.
	Peer string
	// Credentials, when set, are copied from the primary to the standby.
	Credentials Credentials
	// Wait bounds the primary's wait for the standby; 0 is DefaultWait.
	Wait time.Duration
	// AutoTakeover, when not 0, lets the standby take over by itself
	// once it has not heard the primary for that long and a button agent
	// (the witness) has not either; 0 is off, the default.
	AutoTakeover time.Duration
	// MediaMissing counts the show's media files this server lacks (the
	// standby tells the primary in its hellos); nil: 0.
	MediaMissing func() int
	Log          *slog.Logger
}

// Pair is one server's side of the pair, whichever its role: it owns the
// replicating store the engine commits through (Store), the primary's or
// the standby's part, the switch between them (a takeover, a step down)
// and what operators see (Status, and Changed when it changes).
type Pair struct {
	cfg     Config
	log     *slog.Logger
	primary *primarySide // the engine's store; started while this is the primary
	engine  *controller.Engine
	urls    []string
	notice  notifier

	// mu makes role switches one at a time; standby is read without it
	// (a takeover holds mu while the standby drains).
	mu      sync.Mutex
	standby atomic.Pointer[standbySide] // non-nil while this is the standby
	// lastPeer is where the other server was last heard of, kept across
	// role switches: a new primary still knows its old primary.
	lastPeer  atomic.Pointer[[]string]
	witnesses witnesses
	sub       *nats.Subscription
	stop      chan struct{}
	running   sync.WaitGroup // announce and autoTakeover
}

// New makes the pair's side of a server. Open the engine on Store(), then
// Start.
func New(cfg Config) *Pair {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	p := &Pair{cfg: cfg, log: cfg.Log.With("part", "pair"), notice: newNotifier(nil)}
	p.primary = newPrimary(primaryConfig{Store: cfg.Store, History: cfg.History, Node: cfg.Node, Conn: cfg.Conn,
		ID: cfg.ID, Wait: cfg.Wait, Credentials: cfg.Credentials, Changed: p.nudge, Log: cfg.Log})
	return p
}

// Store is the store the engine must commit through.
func (p *Pair) Store() controller.Store { return p.primary }

// nudge asks for a look at the status; it never blocks.
func (p *Pair) nudge() { p.notice.soon() }

// Start runs this server's side, as the standby when standby is set (its
// engine then refuses commands), else as the primary. urls are where its
// pages are served; changed is called when operators' view of the pair
// changed.
func (p *Pair) Start(engine *controller.Engine, standby bool, urls []string, changed func()) error {
	p.engine, p.urls = engine, urls
	p.primary.SetURLs(urls)
	p.notice.changed = changed
	p.stop = make(chan struct{})
	sub, err := p.cfg.Conn.Subscribe(subjectPrimary, p.onAnnouncement)
	if err != nil {
		return fmt.Errorf("pair: listen for the primary: %w", err)
	}
	p.sub = sub
	p.mu.Lock()
	defer p.mu.Unlock()
	if standby {
		err = p.becomeStandbyLocked("")
	} else {
		err = p.primary.Start(engine)
	}
	if err != nil {
		return err
	}
	go p.notice.run(p.Status)
	p.every(HelloEvery, p.announce)
	if p.cfg.AutoTakeover > 0 {
		p.every(autoEvery, p.autoTakeover)
	}
	return nil
}

// becomeStandbyLocked starts following; note is journalled with the first
// snapshot it starts over from.
func (p *Pair) becomeStandbyLocked(note string) error {
	s, err := startStandby(standbyConfig{Engine: p.engine, Node: p.cfg.Node, Conn: p.cfg.Conn, Marks: p.cfg.Marks,
		URLs: p.urls, Peer: p.cfg.Peer, Credentials: p.cfg.Credentials, Changed: p.nudge, Log: p.cfg.Log, Note: note,
		MediaMissing: p.cfg.MediaMissing})
	if err != nil {
		return err
	}
	p.standby.Store(s)
	return nil
}

// discarded says what an old primary at own steps down from, when the
// primary of a announced took over: its commands from the takeover's seq
// on never reached the new primary. Only when it was one epoch behind can
// it say exactly which.
func discarded(own controller.State, a announcement) string {
	switch {
	case own.Epoch+1 != a.Epoch:
		return fmt.Sprintf("trạng thái phiên %d đến lệnh %d được thay bằng của máy chính phiên %d", own.Epoch, own.Seq, a.Epoch)
	case own.Seq < a.EpochSeq:
		return ""
	default:
		return fmt.Sprintf("bỏ lệnh %d–%d của phiên %d (máy chính mới tiếp quản ở lệnh %d, phiên %d)", a.EpochSeq, own.Seq, own.Epoch, a.EpochSeq, a.Epoch)
	}
}

// Standby reports whether this server is the standby.
func (p *Pair) Standby() bool { return p.standby.Load() != nil }

// InSync reports whether the primary's commands wait for the standby
// (false on a standby).
func (p *Pair) InSync() bool { return !p.Standby() && p.primary.InSync() }

// ErrNotStandby refuses a takeover on a server that is not a standby.
var ErrNotStandby = controller.Errorf(controller.ECONFLICT, "this server is not a standby: it is already the primary")

// Takeover makes this standby the primary, one epoch up: it waits (at
// most drainTimeout) until every entry it acknowledged is applied, stops
// following, commits the takeover and starts answering as the primary.
// The old primary, when it hears of the higher epoch, steps down.
func (p *Pair) Takeover(actor controller.Actor) (controller.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.standby.Load()
	if s == nil {
		return controller.Result{}, ErrNotStandby
	}
	if left := s.drain(drainTimeout); left > 0 {
		p.log.Error("takeover: entries acknowledged by this standby were not applied in time", "left", left)
	}
	if urls, _ := s.primaryAt(); len(urls) > 0 {
		p.lastPeer.Store(&urls)
	}
	s.Close()
	res, err := p.engine.Takeover(actor)
	if err != nil {
		if rerr := p.becomeStandbyLocked(""); rerr != nil {
			p.log.Error("takeover refused, and following again failed", "err", rerr)
		}
		return res, err
	}
	p.standby.Store(nil)
	if err := p.primary.Start(p.engine); err != nil {
		return res, fmt.Errorf("pair: took over at epoch %d but cannot answer a standby: %w", res.Snapshot.State.Epoch, err)
	}
	p.nudge()
	return res, nil
}

// onAnnouncement steps this primary down when another primary of a
// higher epoch announces itself: it then follows that one as its standby,
// starting over from its snapshot.
func (p *Pair) onAnnouncement(m *nats.Msg) {
	var a announcement
	if err := json.Unmarshal(m.Data, &a); err != nil || a.ID == p.cfg.ID {
		return
	}
	own := p.engine.Snapshot().State
	if a.Epoch <= own.Epoch {
		if a.Epoch == own.Epoch && !p.Standby() {
			p.log.Error("pair: another primary at the same epoch", "other", a.ID, "epoch", a.Epoch)
		}
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Standby() {
		return
	}
	note := discarded(own, a)
	p.log.Warn("pair: a primary of a higher epoch took over; this server steps down and follows it",
		"epoch", own.Epoch, "their", a.Epoch, "seq", own.Seq, "theirSeq", a.Seq, "discarded", note)
	if urls := p.primary.standbyAt(); len(urls) > 0 {
		p.lastPeer.Store(&urls)
	}
	p.primary.Stop()
	p.engine.SetPrimary(false)
	if err := p.becomeStandbyLocked(note); err != nil {
		p.log.Error("pair: follow the new primary", "err", err)
	}
	p.nudge()
}

// announce says, while this server is the primary, who it is and its
// epoch (every HelloEvery).
func (p *Pair) announce() {
	if p.Standby() {
		return
	}
	st := p.engine.Snapshot().State
	body, _ := json.Marshal(announcement{ID: p.cfg.ID, Epoch: st.Epoch, EpochSeq: st.EpochSeq, Seq: st.Seq, URLs: p.urls})
	if err := p.cfg.Conn.Publish(subjectPrimary, body); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		p.log.Warn("pair: announce", "err", err)
	}
}

// every runs fn every d until the pair is closed.
func (p *Pair) every(d time.Duration, fn func()) {
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				fn()
			}
		}
	}()
}

// Status is the pair as this server's operators see it; nil for a
// primary that never had a standby.
func (p *Pair) Status() *protocol.Pair {
	if s := p.standby.Load(); s != nil {
		return s.Status()
	}
	if st := p.primary.Status(); st != nil {
		return st
	}
	// A primary not yet heard by a standby, that had a peer before (it
	// took over, or stepped down and took over again): the pair is
	// known, and broken.
	own := p.engine.Snapshot().State
	last := p.peer()
	if len(last) == 0 && own.Epoch == 0 {
		return nil
	}
	st := &protocol.Pair{Role: protocol.RolePrimary, Epoch: own.Epoch, Seq: own.Seq}
	if len(last) > 0 {
		st.Peer = last[0]
	}
	return st
}

// peer is where the other server was last heard of, nil when never.
func (p *Pair) peer() []string {
	if urls := p.lastPeer.Load(); urls != nil {
		return *urls
	}
	return nil
}

// Close stops this server's side of the pair.
func (p *Pair) Close() {
	if p.stop != nil {
		close(p.stop)
		p.running.Wait()
		p.stop = nil
	}
	if p.sub != nil {
		_ = p.sub.Unsubscribe()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.standby.Load(); s != nil {
		s.Close()
	}
	p.primary.Stop()
	p.notice.close()
}

// Holds is the newest sequence a standby holds on its disk (applied, or
// waiting in its stream); a primary's own sequence.
func (p *Pair) Holds(ctx context.Context) (uint64, error) {
	if s := p.standby.Load(); s != nil {
		return s.Holds(ctx)
	}
	return p.engine.Snapshot().State.Seq, nil
}
