package venue

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// ProvinceConfig is what the province's side needs.
type ProvinceConfig struct {
	// Conn is an in-process connection to the province server's node.
	Conn *nats.Conn
	// Engine is the province's engine: Start subscribes to it.
	Engine *controller.Engine
	// Primary reports whether this server is the pair's primary: only the
	// primary publishes and answers. nil: always (a server alone).
	Primary func() bool
	// Known lists the halls the province created. Required.
	Known func() []Known
	// Addr gives where hall id's leaf link comes from ("" when down);
	// nil leaves addresses out.
	Addr func(id string) string
	// Changed is called when the list of venues changed: fast when a link
	// came or went, slow when only figures did. nil: nobody is told.
	Changed func(fast bool)
	// Now is the province's clock; nil is time.Now. The engine's must be
	// the same.
	Now func() time.Time
	Log *slog.Logger
}

// Province publishes the province's states to the halls, answers their
// status and snapshot requests, and keeps what they report.
type Province struct {
	cfg  ProvinceConfig
	subs []*nats.Subscription
	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup

	mu     sync.Mutex
	latest controller.Snapshot // the last snapshot published by the engine
	dirty  bool                // latest is not yet sent
	halls  map[string]*heard   // by hall id
}

// heard is what the province knows of one hall.
type heard struct {
	status Status
	at     time.Time // province time of the last status
	rtt    float64   // ms, measured by the hall
	linked bool      // as last told to Changed
}

// StartProvince subscribes to the engine and to the halls' requests.
func StartProvince(cfg ProvinceConfig) (*Province, error) {
	if cfg.Conn == nil || cfg.Engine == nil || cfg.Known == nil {
		return nil, errors.New("venue: the province needs a connection, an engine and its halls")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	p := &Province{cfg: cfg, wake: make(chan struct{}, 1), done: make(chan struct{}), halls: map[string]*heard{}}
	cfg.Engine.Subscribe(p) // first: a request finds the state
	for subject, handle := range map[string]nats.MsgHandler{
		StatusSubject("*"):   p.answerStatus,
		SnapshotSubject("*"): p.answerSnapshot,
	} {
		sub, err := cfg.Conn.Subscribe(subject, handle)
		if err != nil {
			p.unsubscribe()
			return nil, fmt.Errorf("venue: subscribe to %s: %w", subject, err)
		}
		p.subs = append(p.subs, sub)
	}
	p.wg.Add(2)
	go p.publishLoop()
	go p.watchLinks()
	return p, nil
}

func (p *Province) primary() bool { return p.cfg.Primary == nil || p.cfg.Primary() }

// Publish takes a committed snapshot (controller.Publisher). It is called
// with the engine's lock held, so it only notes the snapshot: the
// publishing goroutine sends the newest one (a hall mirrors whole states,
// so a state replaced before it went out need not go).
func (p *Province) Publish(snap controller.Snapshot) {
	p.mu.Lock()
	p.latest, p.dirty = snap, true
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Province) publishLoop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case <-p.wake:
		}
		p.mu.Lock()
		snap, dirty := p.latest, p.dirty
		p.dirty = false
		p.mu.Unlock()
		if !dirty || !p.primary() {
			continue
		}
		data, err := json.Marshal(Update{State: snap.State})
		if err == nil {
			err = p.cfg.Conn.Publish(SubjectState, data)
		}
		if err != nil {
			p.cfg.Log.Warn("publish the state to the halls", "seq", snap.State.Seq, "err", err)
		}
	}
}

// hallOf is the hall id of a request's subject, phatdong.venue.<id>.<what>.
func hallOf(subject string) string {
	parts := strings.Split(subject, ".")
	if len(parts) != 4 {
		return ""
	}
	return parts[2]
}

// known is hall id as the province created it.
func (p *Province) known(id string) (Known, bool) {
	for _, k := range p.cfg.Known() {
		if k.ID == id {
			return k, true
		}
	}
	return Known{}, false
}

// answerStatus notes a hall's status and, on the primary, answers it
// with the province's time and state.
func (p *Province) answerStatus(m *nats.Msg) {
	received := p.cfg.Now()
	id := hallOf(m.Subject)
	k, ok := p.known(id)
	if !ok || len(m.Data) > maxMessage {
		return // a revoked hall's link is closed; nothing to tell it
	}
	var st Status
	if err := json.Unmarshal(m.Data, &st); err != nil {
		p.cfg.Log.Warn("a hall's status is malformed", "hall", id, "err", err)
		return
	}
	p.mu.Lock()
	h := p.halls[id]
	if h == nil {
		h = &heard{}
		p.halls[id] = h
	}
	h.status, h.at, h.rtt = st, received, st.RTTMs
	state := p.latest.State
	up := !h.linked
	h.linked = true
	p.mu.Unlock()
	if p.cfg.Changed != nil {
		p.cfg.Changed(up)
	}
	if !p.primary() {
		return // the primary answers; a standby only listens
	}
	reply := Reply{Epoch: state.Epoch, Seq: state.Seq, ShowRev: state.ShowRev, Name: k.Name, DelayMs: k.DelayMs,
		T1: clocksync.Stamp(received)}
	reply.T2 = clocksync.Stamp(p.cfg.Now())
	data, err := json.Marshal(reply)
	if err == nil {
		err = m.Respond(data)
	}
	if err != nil {
		p.cfg.Log.Warn("answer a hall's status", "hall", id, "err", err)
	}
}

// answerSnapshot answers a hall's snapshot request with the show and
// state, on the primary.
func (p *Province) answerSnapshot(m *nats.Msg) {
	if _, ok := p.known(hallOf(m.Subject)); !ok || !p.primary() {
		return
	}
	snap := p.cfg.Engine.Snapshot()
	data, err := json.Marshal(Update{State: snap.State, Show: snap.Show})
	if err == nil {
		err = m.Respond(data)
	}
	if err != nil {
		p.cfg.Log.Warn("answer a hall's snapshot request", "err", err)
	}
}

// watchLinks tells Changed when a hall's link goes down (no status for
// LinkTimeout); a link coming up is told by its first status.
func (p *Province) watchLinks() {
	defer p.wg.Done()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
		now := p.cfg.Now()
		down := false
		p.mu.Lock()
		for _, h := range p.halls {
			if h.linked && now.Sub(h.at) > LinkTimeout {
				h.linked, down = false, true
			}
		}
		p.mu.Unlock()
		if down && p.cfg.Changed != nil {
			p.cfg.Changed(true)
		}
	}
}

// Venues lists every hall the province created, by name, with what it
// last reported: for the operators' devices message.
func (p *Province) Venues() []protocol.Venue {
	known := p.cfg.Known()
	if len(known) == 0 {
		return nil
	}
	now := p.cfg.Now()
	p.mu.Lock()
	lead := int64(0)
	if p.latest.Show != nil {
		lead = int64(p.latest.Show.Launch.LeadMs)
	}
	out := make([]protocol.Venue, 0, len(known))
	for _, k := range known {
		v := protocol.Venue{ID: k.ID, Name: k.Name, DelayMs: k.DelayMs}
		if h := p.halls[k.ID]; h != nil {
			s := h.status
			v.Linked = now.Sub(h.at) <= LinkTimeout
			v.LastContact = controller.UnixMs(h.at)
			v.RTTMs, v.OffsetMs, v.ErrorMs, v.Synced = s.RTTMs, s.OffsetMs, s.ErrorMs, s.Synced
			v.Screens, v.Seq, v.Fire = s.Screens, s.Seq, s.Fire
			if late := s.RTTMs/2 - float64(lead+k.DelayMs); s.RTTMs > 0 && late > 0 {
				v.LateMs = late
			}
		}
		out = append(out, v)
	}
	p.mu.Unlock()
	if p.cfg.Addr != nil {
		for i := range out {
			if out[i].Linked {
				out[i].Addr = p.cfg.Addr(out[i].ID)
			}
		}
	}
	slices.SortFunc(out, func(a, b protocol.Venue) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

func (p *Province) unsubscribe() {
	for _, s := range p.subs {
		_ = s.Unsubscribe()
	}
	p.subs = nil
}

// Close stops answering and publishing. The engine keeps the province as
// a subscriber, which then only notes snapshots.
func (p *Province) Close() {
	select {
	case <-p.done:
		return
	default:
	}
	close(p.done)
	p.unsubscribe()
	p.wg.Wait()
}
