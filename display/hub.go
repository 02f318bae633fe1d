package display

import (
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
)

// HubConfig configures the websocket hub.
type HubConfig struct {
	// Engine executes the commands and presses that arrive on sockets.
	Engine *controller.Engine
	// Auth checks the operator token and the button key of a hello.
	Auth *Auth
	// AllowedOrigins are the extra origins (besides the server's own host)
	// whose pages may open the websocket: "http://10.0.0.5:8080", or a bare
	// host "10.0.0.5:8080" for any scheme.
	AllowedOrigins []string
	// Log receives the hub's events; nil means slog.Default().
	Log *slog.Logger
	// Registry receives the hub's metrics; nil registers none.
	Registry prometheus.Registerer
}

// Hub is the real-time edge of the server: one websocket per device, the
// live state fanned out to every one of them, commands and presses in,
// clock sync, the fire event and the screens' reports of it.
//
// The hub is a controller.Publisher: subscribe it once with
// engine.Subscribe(hub). Publish never blocks: snapshots are handed to the
// hub's own goroutine, which encodes each one once and queues it on every
// socket. Each socket has one reader goroutine; a writer goroutine runs
// only while that socket has something queued, so an idle screen costs one
// goroutine.
type Hub struct {
	engine   *controller.Engine
	auth     *Auth
	origins  map[string]bool
	log      *slog.Logger
	metrics  *hubMetrics
	tune     tuning
	upgrader websocket.Upgrader

	// The hand-off from Publish to run.
	pubMu   sync.Mutex
	pending []pubItem
	wake    chan struct{}
	done    chan struct{} // closed by Close

	// last is what run published last; only run touches it.
	last published

	mu      sync.Mutex // guards the fields below
	clients []*client  // every open socket, introduced or not
	statePM *websocket.PreparedMessage
	showPM  *websocket.PreparedMessage
	closed  bool
	nextID  uint64

	readers  sync.WaitGroup // one per socket
	presence presence
	fires    fireLog
}

// pubItem is a published snapshot, or a message for one socket that must
// follow every snapshot published before it (an answer after the state it
// produced).
type pubItem struct {
	snap *controller.Snapshot
	to   *client
	data []byte
}

// published is what the hub knows of the last snapshot it sent.
type published struct {
	valid   bool
	seq     uint64
	showRev uint64
	fireID  string
}

// tuning holds the hub's timeouts and bounds. Tests shrink them.
type tuning struct {
	helloWait    time.Duration // time to send the hello after connecting
	pongWait     time.Duration // silence after which a socket is dead
	pingAfter    time.Duration // silence after which the server pings
	sweepEvery   time.Duration // how often silent sockets are looked for
	writeWait    time.Duration // longest a single write may take
	closeGrace   time.Duration // wait for the peer's close after ours
	maxQueue     int           // messages queued on one socket before it is dropped
	maxStrikes   int           // bad messages within strikeWindow before disconnecting
	strikeWindow time.Duration
	rateBurst    float64       // messages a socket may send at once
	ratePerSec   float64       // and per second after that
	devicesFast  time.Duration // least gap between two devices lists after a connect or disconnect
	devicesSlow  time.Duration // least gap when only health figures changed
	sndBuf       int           // SO_SNDBUF of server sockets; 0 leaves the kernel's
}

// Limits of the socket protocol.
const (
	// MaxMessageBytes is the largest message a device may send. A larger one
	// gets a too_large error and is discarded; the socket stays open.
	MaxMessageBytes = 8 << 10
	// hardMessageBytes closes the socket (1009) without reading on.
	hardMessageBytes = 64 << 10
)

func defaultTuning() tuning {
	return tuning{
		helloWait:    10 * time.Second,
		pongWait:     60 * time.Second,
		pingAfter:    25 * time.Second,
		sweepEvery:   5 * time.Second,
		writeWait:    10 * time.Second,
		closeGrace:   time.Second,
		maxQueue:     64,
		maxStrikes:   10,
		strikeWindow: 10 * time.Second,
		rateBurst:    40,
		ratePerSec:   20,
		devicesFast:  250 * time.Millisecond,
		devicesSlow:  2 * time.Second,
	}
}

// NewHub builds a hub and starts its goroutines. Subscribe it to the
// engine (engine.Subscribe(hub)) and mount ServeWS; call Close on shutdown.
func NewHub(cfg HubConfig) *Hub {
	return newHub(cfg, defaultTuning())
}

func newHub(cfg HubConfig, tune tuning) *Hub {
	h := &Hub{
		engine:  cfg.Engine,
		auth:    cfg.Auth,
		origins: map[string]bool{},
		log:     cfg.Log,
		tune:    tune,
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	for _, o := range cfg.AllowedOrigins {
		if o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/")); o != "" {
			h.origins[o] = true
		}
	}
	h.metrics = newHubMetrics(cfg.Registry, h.log)
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		// A small read buffer and pooled write buffers keep an idle socket
		// cheap: broadcasts are prepared messages, which need no buffer.
		ReadBufferSize:  512,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     h.checkOrigin,
	}
	h.presence.hub = h
	go h.run()
	go h.keepalive()
	return h
}

// Publish hands a new snapshot to the hub. It is called by the engine with
// its lock held, so it only queues the snapshot, in order, and returns.
func (h *Hub) Publish(s controller.Snapshot) {
	h.push(pubItem{snap: &s})
}

// sendAfterPublished queues data on c once every snapshot published so far
// has been queued on the sockets.
func (h *Hub) sendAfterPublished(c *client, data []byte) {
	h.push(pubItem{to: c, data: data})
}

func (h *Hub) push(it pubItem) {
	h.pubMu.Lock()
	h.pending = append(h.pending, it)
	h.pubMu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// run sends the published snapshots out, in order, until Close.
func (h *Hub) run() {
	for {
		select {
		case <-h.done:
			return
		case <-h.wake:
		}
		h.pubMu.Lock()
		batch := h.pending
		h.pending = nil
		h.pubMu.Unlock()
		for _, it := range batch {
			if it.snap != nil {
				h.send(*it.snap)
			} else {
				it.to.sendText(it.data)
			}
		}
	}
}

// send encodes one snapshot once and queues it on every socket: first the
// fire event when the launch has just fired, then the show when it changed
// (operators and monitors), then the state.
func (h *Hub) send(s controller.Snapshot) {
	st := s.State
	prev := h.last
	if prev.valid && st.Seq <= prev.seq {
		return // already sent: the hub was subscribed twice
	}
	h.last = published{valid: true, seq: st.Seq, showRev: st.ShowRev, fireID: st.Launch.FireID}
	start := time.Now()

	l := st.Launch
	if l.Phase == controller.LaunchFired && l.FireID != "" && l.FireID != prev.fireID {
		if !prev.valid {
			// Fired before this server started: accept reports against it,
			// but the moment itself is long announced.
			h.fires.open(l, time.Time{}, 0)
		} else if pm, err := encodeFire(l, s.Show.Launch.Caption); err != nil {
			h.log.Error("encode the fire event", "fireId", l.FireID, "err", err)
		} else {
			fan := newFanout(h.metrics.fanout.WithLabelValues("fire"))
			h.mu.Lock()
			n := h.broadcastLocked(pm, nil, fan)
			h.fires.open(l, time.Now(), n)
			h.mu.Unlock()
			fan.done()
			h.log.Info("fire event sent", "fireId", l.FireID, "fireAt", l.FireAt, "sockets", n, "took", time.Since(start))
		}
	}

	var showPM *websocket.PreparedMessage
	if !prev.valid || st.ShowRev != prev.showRev {
		pm, err := encodeShow(s.Show, st.ShowRev)
		if err != nil {
			h.log.Error("encode the show", "showRev", st.ShowRev, "err", err)
		}
		showPM = pm
	}
	statePM, err := encodeState(s)
	if err != nil {
		h.log.Error("encode the state", "seq", st.Seq, "err", err)
		return
	}

	h.mu.Lock()
	if showPM != nil {
		h.showPM = showPM
		h.broadcastLocked(showPM, (*client).seesShow, nil)
	}
	h.statePM = statePM
	fan := newFanout(h.metrics.fanout.WithLabelValues("state"))
	h.broadcastLocked(statePM, nil, fan)
	h.mu.Unlock()
	fan.done()
	h.metrics.broadcast.Observe(time.Since(start).Seconds())
}

// broadcastLocked queues pm on every introduced socket that want accepts
// (all when want is nil) and returns how many; fan, when not nil, follows
// the writes. h.mu is held.
func (h *Hub) broadcastLocked(pm *websocket.PreparedMessage, want func(*client) bool, fan *fanout) int {
	n := 0
	for _, c := range h.clients {
		if !c.ready || want != nil && !want(c) {
			continue
		}
		fan.add()
		if c.send(outMsg{kind: outPrepared, pm: pm, fan: fan}) {
			n++
		} else {
			fan.done()
		}
	}
	return n
}

// add records a new socket, before its hello. It is false once the hub is
// closed.
func (h *Hub) add(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.nextID++
	c.id = "c" + strconv.FormatUint(h.nextID, 10)
	c.idx = len(h.clients)
	h.clients = append(h.clients, c)
	h.readers.Add(1)
	return true
}

// introduce makes c a device of its role: it gets the welcome, the show
// (operators and monitors) and the current state, then every change.
func (h *Hub) introduce(c *client, welcome []byte) {
	h.mu.Lock()
	c.ready = true
	c.send(outMsg{kind: outText, data: welcome})
	if c.seesShow() && h.showPM != nil {
		c.send(outMsg{kind: outPrepared, pm: h.showPM})
	}
	if h.statePM != nil {
		c.send(outMsg{kind: outPrepared, pm: h.statePM})
	}
	h.mu.Unlock()
	h.metrics.clients.WithLabelValues(string(c.role)).Inc()
	h.presence.changed(true)
}

// remove forgets a socket that has ended.
func (h *Hub) remove(c *client) {
	h.mu.Lock()
	if i := c.idx; i >= 0 && i < len(h.clients) && h.clients[i] == c {
		last := len(h.clients) - 1
		h.clients[i] = h.clients[last]
		h.clients[i].idx = i
		h.clients[last] = nil
		h.clients = h.clients[:last]
		c.idx = -1
	}
	ready := c.ready
	h.mu.Unlock()
	if ready {
		h.metrics.clients.WithLabelValues(string(c.role)).Dec()
		h.presence.changed(true)
	}
	h.readers.Done()
}

// keepalive pings the sockets that have been silent for a while, so a dead
// peer is noticed (its read deadline passes) and a live one stays listed.
// Each socket's own silence decides, so pings are spread over time.
func (h *Hub) keepalive() {
	t := time.NewTicker(h.tune.sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case now := <-t.C:
			cutoff := now.Add(-h.tune.pingAfter).UnixMilli()
			h.mu.Lock()
			for _, c := range h.clients {
				if c.ready && c.lastSeen.Load() < cutoff && c.pinged.Load() < cutoff {
					c.pinged.Store(now.UnixMilli())
					c.send(outMsg{kind: outPing})
				}
			}
			h.mu.Unlock()
		}
	}
}

// Close disconnects every socket with a going-away close (1001), waits a
// moment for the peers to answer, then cuts the rest. New sockets are
// refused. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	all := slices.Clone(h.clients)
	grace := time.Now().Add(h.tune.closeGrace)
	for _, c := range all {
		c.send(outMsg{kind: outClose, code: websocket.CloseGoingAway, data: []byte("the server is shutting down")})
		c.conn.SetReadDeadline(grace) // the reader waits for the peer's close until then
	}
	h.mu.Unlock()
	close(h.done)
	h.presence.stop()

	finished := make(chan struct{})
	go func() {
		h.readers.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(h.tune.closeGrace + h.tune.writeWait/10):
		for _, c := range all {
			c.conn.Close()
		}
		<-finished
	}
	h.log.Info("websocket hub closed", "sockets", len(all))
}
