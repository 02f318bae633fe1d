package display

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/protocol"
)

// Body limits of the API.
const (
	MaxShowBytes    = 1 << 20                    // PUT /api/v1/show
	MaxCommandBytes = controller.MaxCommandBytes // POST /api/v1/commands and /api/v1/press
)

// Config is what the HTTP edge needs.
type Config struct {
	Engine *controller.Engine
	// StoreStats describes the store for /healthz; nil leaves it out. An
	// error makes the server report itself unhealthy.
	StoreStats func() (any, error)
	// NodeHealth describes the NATS node (display/node) for /healthz,
	// under "nats"; nil leaves it out. It never makes the server
	// unhealthy: the show runs without a standby.
	NodeHealth func() any
	// Pair describes the primary–standby pair (issue #14) for the
	// operators' devices message, its warnings and /healthz (under
	// "pair"). nil means no pair; it returns nil too while the server has
	// never had a peer. It is called from any goroutine, on every devices
	// message, so it must be cheap; call Server.PairChanged when what it
	// returns changes.
	Pair func() *protocol.Pair
	// Cues says how the launch's cues of a fire went (display/cues,
	// Sender.Outcomes), for the fire on the operators' devices message;
	// nil: none. Cheap, from any goroutine; call Server.CuesChanged when
	// what it returns changes.
	Cues func(fireID string) []protocol.CueOutcome
	// Takeover makes this standby the primary, one epoch up, for the
	// operator who asked (POST /api/v1/takeover, or a "takeover" command
	// on an operator's socket): the pair (display/pair) drains what the
	// standby acknowledged, then calls Engine.Takeover. It answers as a
	// command does: the state it committed, or a coded error (ECONFLICT
	// when already the primary). nil when this server cannot take over
	// (no pair, or not a standby): a takeover is then refused with
	// ECONFLICT. A takeover never goes through Engine.Execute.
	Takeover TakeoverFunc
	// Witness takes a button agent's report of the primary (POST
	// /api/v1/witness), for the standby's automatic takeover; nil
	// refuses reports (409).
	Witness WitnessFunc
	// Servers lists the pair's servers as devices know them, this one
	// first (pair.Pair.Servers): the welcome carries them, GET
	// /api/v1/pair answers them, and pages of their origins may open the
	// websocket and reach them (the page's connect-src). nil, or a nil
	// answer, means a server alone. Called on every hello, handshake and
	// page, so it must be cheap.
	Servers func() []protocol.ServerInfo
	Auth    *Auth
	// AllowedOrigins are the extra origins (besides the server's own) whose
	// pages may open the websocket.
	AllowedOrigins []string
	// Pages holds the web pages (static.FS); nil serves none.
	Pages fs.FS
	Log   *slog.Logger
	// AllowedHosts are the names, besides its addresses, localhost and
	// the machine's own names, that the server answers to (DNS rebinding).
	AllowedHosts []string
	// PortableWrites sends every websocket message through its socket's
	// writer goroutine, as on every OS but Linux (see HubConfig).
	PortableWrites bool
	// RateLimit limits the authenticated requests of each client address;
	// nil is NewRateLimiter(DefaultAPIBurst, DefaultAPIPerSec).
	RateLimit *RateLimiter
	// TrustCA is the DER of the CA that signed the server's certificate,
	// when it serves HTTPS: the server then offers it at /trust/ca.crt,
	// with a page that explains how to trust it (TrustPage). nil offers
	// neither.
	TrustCA []byte
	// ClockOffset is how far the time the server tells its devices is
	// ahead of its own clock: a district hall's server tells the
	// province's (HubConfig.ClockOffset). nil: its own clock.
	ClockOffset func() time.Duration
	// Venues lists the district halls that follow this province server
	// (display/venue) for the operators' devices message; Hall is, on a
	// hall's server, its link to the province. nil: none. Both are called
	// on every devices message, so they must be cheap; call
	// Server.LinksChanged when what they return changes.
	Venues func() []protocol.Venue
	Hall   func() *protocol.Hall
	// VenueOf lists the addresses of the province's NATS leaf listeners
	// (this server's and the standby's, "192.168.1.10:7422") that a
	// district hall's server dials: the command line of a new venue
	// credential names them. nil, or an empty answer, puts a placeholder.
	VenueOf func() []string
	// Media is the media folder (issue #16): its files served at
	// /media/:hash, uploads at POST /api/v1/media. nil serves neither.
	Media *media.Store
	// BaseURLs lists scheme://host:port where devices reach this server,
	// LAN addresses first: a QR code made from a page opened at localhost
	// carries the first that is not loopback (docs/pairing.md). nil: the
	// address of the request only.
	BaseURLs func() []string
	// DoctorHost tells the machine's side of the preflight report (GET
	// /api/v1/doctor): addresses, database, disk. nil leaves it empty.
	DoctorHost func() protocol.DoctorHost
	// Backup copies the database for GET /api/v1/backup (administrator
	// only); nil serves no backup.
	Backup BackupFunc
	// Version is the server's release, shown by /healthz and the MC page.
	Version string
}

// Server is the HTTP edge of every device: the JSON API, the websocket
// hub, the pages and the metrics, on one Echo instance.
type Server struct {
	echo     *echo.Echo
	engine   *controller.Engine
	stats    func() (any, error)
	node     func() any
	pair     pairWatch
	takeover TakeoverFunc // nil: cannot take over
	witness  WitnessFunc  // nil: takes no witness
	servers  func() []protocol.ServerInfo
	venueOf  func() []string
	auth     *Auth
	limit    *RateLimiter
	hub      *Hub
	log      *slog.Logger
	registry *prometheus.Registry
	metrics  *metrics
	trust    *trust       // nil: no CA to offer
	media    *media.Store // nil: no media folder
	bases    func() []string
	closing  atomic.Bool
	// cues is Config.Cues (nil: none).
	cues func(fireID string) []protocol.CueOutcome
	// doctorHost is Config.DoctorHost.
	doctorHost func() protocol.DoctorHost
	backup     BackupFunc
	version    string
}

// New builds the server and its websocket hub, and subscribes the hub to
// the engine. It does not listen: serve Handler() or Echo().
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil || cfg.Auth == nil {
		return nil, errors.New("display: a server needs an engine and an auth")
	}
	s := &Server{
		engine: cfg.Engine, stats: cfg.StoreStats, node: cfg.NodeHealth, auth: cfg.Auth, limit: cfg.RateLimit,
		takeover: cfg.Takeover, witness: cfg.Witness, servers: cfg.Servers, venueOf: cfg.VenueOf, log: cfg.Log, registry: prometheus.NewRegistry(),
		media: cfg.Media, bases: cfg.BaseURLs, doctorHost: cfg.DoctorHost, backup: cfg.Backup, version: cfg.Version,
	}
	if s.limit == nil {
		s.limit = NewRateLimiter(DefaultAPIBurst, DefaultAPIPerSec)
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	m, err := newMetrics(s.registry, s.engine)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if cfg.TrustCA != nil {
		if s.trust, err = newTrust(cfg.TrustCA, cfg.Pages); err != nil {
			return nil, err
		}
	}
	s.hub = NewHub(HubConfig{
		Engine: s.engine, Auth: s.auth, AllowedOrigins: cfg.AllowedOrigins,
		Log: s.log.With("part", "hub"), Registry: s.registry, PortableWrites: cfg.PortableWrites, Pair: cfg.Pair,
		Takeover: cfg.Takeover, Servers: cfg.Servers, ClockOffset: cfg.ClockOffset, Venues: cfg.Venues, Hall: cfg.Hall,
		Cues: cfg.Cues,
	})
	s.pair.fn = cfg.Pair
	s.cues = cfg.Cues
	s.engine.Subscribe(s.hub)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = errorHandler(s.log)
	e.Use(requestLogger(s.log), recoverer(s.log), hostGuard(cfg.AllowedHosts), securityHeaders(), s.pairConnectSrc)
	e.Server.RegisterOnShutdown(s.hub.Close)
	s.echo = e
	s.routes(cfg.Pages)
	return s, nil
}

func (s *Server) routes(pages fs.FS) {
	e := s.echo
	e.GET("/healthz", s.getHealth, noStore)
	e.GET("/metrics", s.getMetrics, noStore)
	e.GET("/ws", s.hub.ServeWS)

	// Route by route, not on the group: a group's middleware makes Echo
	// route every unknown method to a 404 instead of a 405.
	api := e.Group("/api/v1")
	api.GET("/state", s.getState, noStore)
	api.GET("/state/brief", s.getStateBrief, noStore)
	api.GET("/show", s.getShow, noStore)
	api.GET("/show/export", s.exportShow, noStore)
	api.PUT("/show", s.putShow, noStore, s.requireRole(operatorsOnly))
	api.POST("/commands", s.postCommand, noStore, s.requireRole(pressers))
	api.POST("/press", s.postPress, noStore, s.requireRole(pressers))
	api.POST("/takeover", s.postTakeover, noStore, s.requireRole(operatorsOnly))
	api.POST("/witness", s.postWitness, noStore, s.requireRole(pressers))
	api.GET("/pair", s.getPair, noStore)
	api.GET("/report", s.getReport, noStore)
	s.credentialRoutes(api)
	s.connectRoutes(api)
	s.mediaRoutes(api)
	s.showArchiveRoutes(api)
	s.sheetRoutes(api)
	s.doctorRoutes(api)
	s.backupRoutes(api, s.backup)

	if pages != nil {
		s.pageRoutes(pages)
	}
	s.trustRoutes()
}

// Echo is the underlying Echo instance, for its http.Server and shutdown.
func (s *Server) Echo() *echo.Echo { return s.echo }

// Handler serves every route.
func (s *Server) Handler() http.Handler { return s.echo }

// Hub is the websocket hub.
func (s *Server) Hub() *Hub { return s.hub }

// Auth checks the server's credentials.
func (s *Server) Auth() *Auth { return s.auth }

// Registry is the server's own Prometheus registry, served at /metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Close marks the server as going away (health answers 503) and
// disconnects the websocket clients. Shutting the listener down is the
// caller's (Echo().Shutdown).
func (s *Server) Close() {
	if s.closing.CompareAndSwap(false, true) {
		s.hub.Close()
	}
}

// requestLogger logs one structured line per request. Only the path is
// logged: never a query, a header or a body, so no credential is.
func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError: true,
		LogMethod:   true, LogURIPath: true, LogStatus: true, LogLatency: true,
		LogRemoteIP: true, LogError: true, LogResponseSize: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			switch {
			case serverFault(v.Status):
				level = slog.LevelError
			case v.Status == http.StatusServiceUnavailable:
				level = slog.LevelWarn
			case v.URIPath == "/healthz" || v.URIPath == "/metrics" || v.Status < http.StatusBadRequest && c.Request().Method == http.MethodGet:
				level = slog.LevelDebug
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency),
				slog.String("ip", v.RemoteIP), slog.Int64("bytes", v.ResponseSize),
			}
			if v.Error != nil {
				de, _ := asDomainError(v.Error)
				attrs = append(attrs, slog.String("code", de.Code))
			}
			log.LogAttrs(c.Request().Context(), level, "http", attrs...)
			return nil
		},
	})
}

// recoverer turns a panic into a 500 with the error object, and logs it.
func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			log.Error("panic in handler", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
			return err
		},
	})
}
