package display

import (
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/hub"
	"github.com/phatdong/phatdong/protocol"
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
	// PortableWrites turns the direct writes of a broadcast off (hub.Config.Portable):
	// every message goes through its socket's writer goroutine, as on
	// every OS but Linux. For side-by-side measurements.
	PortableWrites bool
	// Pair gives the primary–standby pair for the operators' devices
	// message and its warnings (Config.Pair); nil: no pair.
	Pair func() *protocol.Pair
	// Takeover runs an operator's "takeover" command (Config.Takeover);
	// nil refuses it.
	Takeover TakeoverFunc
	// Servers lists the pair's servers (Config.Servers) for the welcome
	// and the origins checkOrigin accepts; nil: a server alone.
	Servers func() []protocol.ServerInfo
	// ClockOffset is how far the time this server tells its devices is
	// ahead of its own clock: a district hall's server tells the
	// province's (display/venue), so its screens start the moment at the
	// province's instant. nil tells the server's own clock.
	ClockOffset func() time.Duration
	// Venues and Hall give the district halls' links for the operators'
	// devices message (Config.Venues, Config.Hall); nil: none.
	Venues func() []protocol.Venue
	Hall   func() *protocol.Hall
	// Cues gives the cue outcomes of a fire for the operators' devices
	// message (Config.Cues); nil: none.
	Cues func(fireID string) []protocol.CueOutcome
}

// Hub is the real-time edge of the server: one websocket per device, the
// live state fanned out to every one of them, commands and presses in,
// clock sync, the fire event and the screens' reports of it.
//
// The hub is a controller.Publisher: subscribe it once with
// engine.Subscribe(hub). Publish never blocks: snapshots are handed to the
// hub's own goroutine, which encodes each one once, as one prepared
// websocket frame, and sends it to every socket. The sockets themselves
// are display/hub's: a reader each, a writer while something waits, and
// a socket whose queue is full is dropped, so a slow one delays nobody.
type Hub struct {
	engine   *controller.Engine
	takeover TakeoverFunc // nil: cannot take over
	servers  func() []protocol.ServerInfo
	offset   func() time.Duration // nil: the server's own clock
	auth     *Auth
	origins  map[string]bool
	log      *slog.Logger
	metrics  *hubMetrics
	tune     tuning
	upgrader websocket.Upgrader
	ws       *hub.Hub

	// The hand-off from Publish to run.
	pubMu   sync.Mutex
	pending []pubItem
	wake    chan struct{}
	done    chan struct{} // closed by Close

	// last is what run published last; only run touches it.
	last published

	// mu orders introductions against broadcasts: every socket gets
	// either a broadcast or the frame it recorded, never neither, never both.
	mu     sync.Mutex
	state  *hub.Frame // the latest state
	show   *hub.Frame // the latest show
	closed bool

	nextID atomic.Uint64 // the last socket id given

	presence    presence
	serversPush serversPush
	fires       fireLog
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
	minSilence   time.Duration // the least silence that cuts a socket that promised heartbeats
	silenceCheck time.Duration // how often sockets are checked for silence
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
		writeWait:    10 * time.Second,
		closeGrace:   time.Second,
		maxQueue:     64,
		maxStrikes:   10,
		strikeWindow: 10 * time.Second,
		rateBurst:    40,
		ratePerSec:   20,
		devicesFast:  250 * time.Millisecond,
		devicesSlow:  2 * time.Second,
		sndBuf:       64 << 10,
		minSilence:   protocol.MinSilenceMs * time.Millisecond,
		silenceCheck: time.Second,
	}
}

// NewHub builds a hub and starts its goroutines. Subscribe it to the
// engine (engine.Subscribe(hub)) and mount ServeWS; call Close on shutdown.
func NewHub(cfg HubConfig) *Hub {
	return newHub(cfg, defaultTuning())
}

func newHub(cfg HubConfig, tune tuning) *Hub {
	h := &Hub{
		engine:   cfg.Engine,
		takeover: cfg.Takeover,
		servers:  cfg.Servers,
		offset:   cfg.ClockOffset,
		auth:     cfg.Auth,
		origins:  map[string]bool{},
		log:      cfg.Log,
		tune:     tune,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
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
		// Small buffers keep an idle socket cheap; the write buffer is
		// borrowed from the pool only while a message is written.
		ReadBufferSize:  512,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     h.checkOrigin,
		Error:           refuseHandshake,
	}
	h.ws = hub.New(hub.Config{
		WriteWait:  tune.writeWait,
		PongWait:   tune.pongWait,
		PingPeriod: tune.pingAfter,
		FirstWait:  tune.helloWait,
		CloseGrace: tune.closeGrace,
		ReadLimit:  hardMessageBytes,
		QueueLen:   tune.maxQueue,
		Portable:   cfg.PortableWrites,
		OnMessage:  h.onMessage,
		OnClose:    func(hc *hub.Client) { h.remove(hc.Data.(*client)) },
		OnDrop:     h.onDrop,
		OnWrite:    h.metrics.sent.Inc,
		Log:        h.log,
	})
	h.presence.hub, h.presence.pair = h, cfg.Pair
	h.presence.venues, h.presence.hall, h.presence.cues = cfg.Venues, cfg.Hall, cfg.Cues
	h.presence.send = h.presence.flush
	h.serversPush.hub, h.serversPush.last = h, "null"
	h.serversPush.send = h.serversPush.flush
	h.auth.Registry().OnRevoke(h.closeRevoked)
	go h.run()
	go h.watchSilence()
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

// Connected is how many sockets are open, introduced or not.
func (h *Hub) Connected() int {
	return h.ws.Len()
}

// introduce makes c a device of its role: it gets the welcome, the show
// (operators and monitors) and the current state, then every change.
// welcome makes its welcome under h.mu, so that no servers message
// passes between the list the welcome holds and the introduction.
func (h *Hub) introduce(c *client, welcome func() []byte) {
	h.mu.Lock()
	c.ready.Store(true)
	c.sendText(welcome())
	if c.seesShow() && h.show != nil {
		c.hc.Send(hub.Item{Frame: h.show})
	}
	if h.state != nil {
		c.hc.Send(hub.Item{Frame: h.state})
	}
	h.mu.Unlock()
	h.metrics.clients.WithLabelValues(string(c.role)).Inc()
	h.presence.changed(true)
}

// remove forgets a socket that has ended.
func (h *Hub) remove(c *client) {
	h.mu.Lock()
	ready := c.ready.Swap(false)
	h.mu.Unlock()
	if ready {
		h.metrics.clients.WithLabelValues(string(c.role)).Dec()
		h.presence.changed(true)
	}
}

// onDrop counts and logs a socket too slow to keep.
func (h *Hub) onDrop(hc *hub.Client) {
	c := hc.Data.(*client)
	h.metrics.dropped.WithLabelValues("slow").Inc()
	h.log.Warn("dropping a slow socket", "id", c.id, "role", c.role, "name", c.name, "addr", c.addr)
}

// introduced lists the sockets that have said hello.
func (h *Hub) introduced() []*client {
	all := h.ws.Clients()
	out := make([]*client, 0, len(all))
	for _, hc := range all {
		if c := hc.Data.(*client); c.ready.Load() {
			out = append(out, c)
		}
	}
	return out
}
