package venue

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/protocol"
)

// HallConfig is what a hall's side needs.
type HallConfig struct {
	// Conn is an in-process connection to the hall's own node, whose leaf
	// link reaches the province; its inbox prefix must be the one the
	// province lets this hall receive on (display/node).
	Conn *nats.Conn
	// ID is the hall's credential id; Name its name until the province
	// tells it its own.
	ID   string
	Name string
	// Province lists the addresses the hall's node dials, for its MC.
	Province []string
	// Engine is the hall's engine, made a hall's (SetHall) before Start.
	Engine *controller.Engine
	// Clock is the province's time; the hall's engine and hub must tell
	// the same.
	Clock *Clock
	// Screens and Fire are the hall's figures for the province (the hub's
	// Screens and LatestFire); nil reports none.
	Screens func() int
	Fire    func() *protocol.FireSummary
	// Changed is called when what Status returns changed: fast when the
	// link came or went. nil: nobody is told.
	Changed func(fast bool)
	Log     *slog.Logger
}

// Hall follows the province for a hall's server.
type Hall struct {
	cfg   HallConfig
	sub   *nats.Subscription
	fetch chan struct{} // asks the loop for a snapshot
	done  chan struct{}
	wg    sync.WaitGroup

	mu      sync.Mutex
	mirrors sync.Mutex // one Mirror at a time, in order of the province's states
	last    *controller.State
	show    bool // the engine holds the show of (epoch, showRev) of last
	name    string
	delayMs int64
	heard   time.Time // the last answer, on the hall's clock; zero never
	rtt     float64
	linked  bool
}

// StartHall subscribes to the province's states and starts asking for
// its status.
func StartHall(cfg HallConfig) (*Hall, error) {
	if cfg.Conn == nil || cfg.Engine == nil || cfg.Clock == nil {
		return nil, errors.New("venue: a hall needs a connection, an engine and a clock")
	}
	if err := node.ValidVenueID(cfg.ID); err != nil {
		return nil, fmt.Errorf("venue: %w", err)
	}
	if !cfg.Engine.Hall() {
		return nil, errors.New("venue: the hall's engine must be a hall's (controller.Engine.SetHall)")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	h := &Hall{cfg: cfg, fetch: make(chan struct{}, 1), done: make(chan struct{}), name: cfg.Name}
	sub, err := cfg.Conn.Subscribe(SubjectState, h.onState)
	if err != nil {
		return nil, fmt.Errorf("venue: subscribe to the province's states: %w", err)
	}
	h.sub = sub
	h.wg.Add(1)
	go h.loop()
	return h, nil
}

// onState mirrors a state the province published, or asks for a snapshot
// when it needs the show with it.
func (h *Hall) onState(m *nats.Msg) {
	var u Update
	if len(m.Data) > maxMessage {
		return
	}
	if err := json.Unmarshal(m.Data, &u); err != nil {
		h.cfg.Log.Warn("the province's state is malformed", "err", err)
		return
	}
	h.apply(u)
}

// apply mirrors u when it is newer than what the hall shows.
func (h *Hall) apply(u Update) {
	h.mirrors.Lock()
	defer h.mirrors.Unlock()
	h.mu.Lock()
	last, haveShow, delay := h.last, h.show, h.delayMs
	h.mu.Unlock()
	st := u.State
	if last != nil && !newer(st.Epoch, st.Seq, last.Epoch, last.Seq) {
		return
	}
	sameShow := haveShow && last != nil && st.Epoch == last.Epoch && st.ShowRev == last.ShowRev
	if u.Show == nil && !sameShow {
		h.askSnapshot()
		return
	}
	if err := h.mirror(u.Show, st, delay); err != nil {
		h.cfg.Log.Error("mirror the province's state", "seq", st.Seq, "epoch", st.Epoch, "err", err)
		return
	}
	h.mu.Lock()
	h.last, h.show = &st, true
	h.mu.Unlock()
	if h.cfg.Changed != nil {
		h.cfg.Changed(false)
	}
}

// mirror gives the hall's engine the province's state st (show nil: the
// same show), its moment delayed by delay ms for the hall's video feed.
// The show comes without its media: the films stay in the main hall,
// which the hall sees on its video link; its stage shows the segment's
// title slide.
func (h *Hall) mirror(show *controller.Show, st controller.State, delay int64) error {
	if st.Launch.FireAt != 0 {
		st.Launch.FireAt += delay
	}
	if show != nil {
		show = show.Clone()
		for i := range show.Segments {
			show.Segments[i].Media = nil
		}
	}
	_, err := h.cfg.Engine.Mirror(show, st)
	return err
}

func (h *Hall) askSnapshot() {
	select {
	case h.fetch <- struct{}{}:
	default:
	}
}

// loop asks for the province's status on the clock-sync schedule (at
// least every StatusEvery), and for a snapshot when the hall is behind.
func (h *Hall) loop() {
	defer h.wg.Done()
	wait := time.Duration(0)
	for {
		timer := time.NewTimer(wait)
		select {
		case <-h.done:
			timer.Stop()
			return
		case <-h.fetch:
			timer.Stop()
			h.snapshot()
		case <-timer.C:
			h.exchange()
		}
		// A refused request (no responders) comes back at once: never
		// ask faster than a burst.
		wait = max(min(clocksync.Schedule(h.cfg.Clock.est.Count()), StatusEvery), clocksync.BurstInterval)
	}
}

// exchange sends the hall's status, takes the answer as a clock sample,
// and fetches a snapshot when the province is ahead.
func (h *Hall) exchange() {
	st := h.status()
	st.T0 = clocksync.Stamp(time.Now())
	data, err := json.Marshal(st)
	if err != nil {
		h.cfg.Log.Error("encode the hall's status", "err", err)
		return
	}
	m, err := h.cfg.Conn.Request(StatusSubject(h.cfg.ID), data, requestTimeout)
	t3 := clocksync.Stamp(time.Now())
	if err != nil {
		h.lost()
		return
	}
	var r Reply
	if err := json.Unmarshal(m.Data, &r); err != nil {
		h.cfg.Log.Warn("the province's status answer is malformed", "err", err)
		return
	}
	sample := clocksync.Sample{T0: st.T0, T1: r.T1, T2: r.T2, T3: t3}
	if err := h.cfg.Clock.add(sample); err != nil {
		h.cfg.Log.Warn("a clock sample from the province is impossible", "err", err)
	}
	h.mu.Lock()
	up := !h.linked
	redo := h.last != nil && h.delayMs != r.DelayMs
	h.linked, h.heard, h.rtt = true, time.Now(), sample.RTT()
	h.name, h.delayMs = r.Name, r.DelayMs
	last := h.last
	h.mu.Unlock()
	if h.cfg.Changed != nil {
		h.cfg.Changed(up)
	}
	switch {
	case last == nil || newer(r.Epoch, r.Seq, last.Epoch, last.Seq) || r.Epoch == last.Epoch && r.ShowRev != last.ShowRev:
		h.snapshot()
	case redo:
		h.remirror()
	}
}

// lost notes a status left unanswered: after LinkTimeout without an
// answer the link is down.
func (h *Hall) lost() {
	h.mu.Lock()
	down := h.linked && time.Since(h.heard) > LinkTimeout
	if down {
		h.linked = false
	}
	h.mu.Unlock()
	if down && h.cfg.Changed != nil {
		h.cfg.Changed(true)
	}
}

// snapshot fetches the province's show and state and mirrors them.
func (h *Hall) snapshot() {
	m, err := h.cfg.Conn.Request(SnapshotSubject(h.cfg.ID), nil, requestTimeout)
	if err != nil {
		return // the next exchange asks again
	}
	var u Update
	if len(m.Data) > maxMessage {
		return
	}
	if err := json.Unmarshal(m.Data, &u); err != nil || u.Show == nil {
		h.cfg.Log.Warn("the province's snapshot is malformed", "err", err)
		return
	}
	h.apply(u)
}

// remirror gives the engine the province's last state again, with the
// hall's new delay.
func (h *Hall) remirror() {
	h.mirrors.Lock()
	defer h.mirrors.Unlock()
	h.mu.Lock()
	last, delay := h.last, h.delayMs
	h.mu.Unlock()
	if last == nil {
		return
	}
	if err := h.mirror(nil, *last, delay); err != nil {
		h.cfg.Log.Error("mirror the province's state with the new delay", "err", err)
	}
}

// status is what the hall reports to the province.
func (h *Hall) status() Status {
	st := Status{}
	st.OffsetMs, st.ErrorMs, st.RTTMs, st.Synced = h.cfg.Clock.figures()
	if h.cfg.Screens != nil {
		st.Screens = h.cfg.Screens()
	}
	if h.cfg.Fire != nil {
		st.Fire = h.cfg.Fire()
	}
	h.mu.Lock()
	if h.last != nil {
		st.Epoch, st.Seq = h.last.Epoch, h.last.Seq
	}
	h.mu.Unlock()
	return st
}

// Status is the hall's link to the province, for its own operators.
func (h *Hall) Status() *protocol.Hall {
	out := &protocol.Hall{Province: h.cfg.Province}
	out.OffsetMs, out.ErrorMs, _, out.Synced = h.cfg.Clock.figures()
	h.mu.Lock()
	defer h.mu.Unlock()
	out.Name, out.Linked, out.RTTMs, out.DelayMs = h.name, h.linked, h.rtt, h.delayMs
	if !h.heard.IsZero() { // in province time, as every instant the hall tells
		out.LastContact = controller.UnixMs(h.heard.Add(h.cfg.Clock.Offset()))
	}
	if h.last != nil {
		out.Seq, out.Epoch = h.last.Seq, h.last.Epoch
	}
	return out
}

// Close stops following. The hall's screens keep the last state.
func (h *Hall) Close() {
	select {
	case <-h.done:
		return
	default:
	}
	close(h.done)
	_ = h.sub.Unsubscribe()
	h.wg.Wait()
}
