package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/phatdong/phatdong/cmd/internal/version"
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/cues"
	"github.com/phatdong/phatdong/display/mdns"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/display/mediasync"
	"github.com/phatdong/phatdong/display/oscin"
	"github.com/phatdong/phatdong/display/venue"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
)

// shutdownGrace is how long in-flight requests get on SIGINT/SIGTERM.
const shutdownGrace = 5 * time.Second

// Server is the whole phatdong server: the store, the engine and the HTTP
// edge on one listener. Open it, Run it until the context ends, Close it.
type Server struct {
	cfg           Config
	log           *slog.Logger
	store         *bolt.Store
	engine        *controller.Engine
	api           *display.Server
	ln            net.Listener
	operatorToken string
	buttonKey     string
	tls           *serverTLS // nil: plain HTTP
	nats          *natsNode  // nil: --nats-addr off
	// province serves the district halls that link to this server; hall,
	// on a hall's server, follows the province. At most one is set.
	province *venue.Province
	hall     *venue.Hall
	media    *mediasync.Sync // the pair's copy of the show's media; nil on a hall
	clock    *venue.Clock    // the province's time, on a hall's server
	osc      *oscin.Listener // nil: --osc-addr off
	cues     *cues.Sender    // nil on a hall's server

	mdns *mdns.Advertiser // the LAN's advertising; nil: not advertised
}

// dbLockedError says another server holds the database.
type dbLockedError struct {
	path string
	err  error
}

func (e *dbLockedError) Error() string {
	return "the database " + e.path + " is in use by another running server"
}

func (e *dbLockedError) Unwrap() error { return e.err }

// Open reads the show file, opens the store (failing at once if another
// server holds it), loads or creates the secrets, resumes the saved state
// and listens. Nothing is served until Run.
func Open(cfg Config, log *slog.Logger) (_ *Server, err error) {
	if err := checkTLSFlags(cfg); err != nil {
		return nil, err
	}
	var tlsSetup *serverTLS
	if cfg.TLSCert != "" {
		if tlsSetup, err = loadServerTLS(cfg, time.Now()); err != nil {
			return nil, err
		}
	}
	var fileShow *controller.Show
	if cfg.ShowFile != "" {
		if fileShow, err = readShow(cfg.ShowFile); err != nil {
			return nil, err
		}
		if err := checkShowMedia(cfg.ShowFile, fileShow, mediaDir(cfg.DB)); err != nil {
			return nil, err
		}
	}
	store, err := bolt.Open(cfg.DB)
	if errors.Is(err, bolt.ErrLocked) {
		return nil, &dbLockedError{path: cfg.DB, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	s := &Server{cfg: cfg, log: log, store: store, tls: tlsSetup}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.operatorToken, err = secret(store, secretOperator, cfg.OperatorToken); err != nil {
		return nil, err
	}
	if s.buttonKey, err = sharedButtonKey(store, cfg.ButtonKey); err != nil {
		return nil, err
	}
	if s.operatorToken == s.buttonKey {
		return nil, errors.New("the stored button key equals the operator token; set --button-key")
	}
	serverID, err := secret(store, secretServerID, "")
	if err != nil {
		return nil, err
	}
	reg, err := access.Open(access.Options{Store: store, Admin: s.operatorToken, Shared: s.buttonKey, ServerID: serverID,
		ForgetShared: func() error { return store.DeleteSecret(secretButton) }, Log: log})
	if err != nil {
		return nil, err
	}
	var engineStore controller.Store = store
	var nodeHealth func() any
	var pairStatus func() *protocol.Pair
	var takeover display.TakeoverFunc
	var servers func() []protocol.ServerInfo
	var witness display.WitnessFunc
	var engineClock controller.Clock
	var clockOffset func() time.Duration
	remoteTLS, err := leafRemoteTLS(cfg, tlsSetup, time.Now())
	if err != nil {
		return nil, err
	}
	switch {
	case len(cfg.VenueOf) > 0:
		if s.nats, err = startHallNATS(cfg, store, remoteTLS, log); err != nil {
			return nil, err
		}
		s.clock = venue.NewClock()
		engineClock, clockOffset, nodeHealth = s.clock, s.clock.Offset, s.nats.health
	case cfg.NATSAddr != "":
		if s.nats, err = startNATS(cfg, store, serverID, reg, tlsSetup.leafListenerTLS(), remoteTLS, s.mediaMissing, log); err != nil {
			return nil, err
		}
		engineStore = s.nats.pair.Store()
		nodeHealth, pairStatus, takeover, servers = s.nats.health, s.nats.pairStatus, s.nats.pair.Takeover, s.nats.pair.Servers
		witness = s.nats.pair.Witness
	}
	def := fileShow
	if def == nil {
		if def, err = controller.DefaultShow(); err != nil {
			return nil, err
		}
	}
	if s.engine, err = controller.Open(controller.Config{Store: engineStore, Clock: engineClock, DefaultShow: def, Log: log}); err != nil {
		return nil, fmt.Errorf("resume the show: %w", err)
	}
	if s.clock != nil {
		s.engine.SetHall()
	}
	folder, err := media.Open(mediaDir(cfg.DB), 0)
	if err != nil {
		return nil, err
	}
	if fileShow != nil && cfg.StandbyOf == "" {
		s.useShow(fileShow)
	}
	s.api, err = display.New(display.Config{
		Engine: s.engine, Auth: display.NewAuth(reg),
		StoreStats: func() (any, error) { return store.Stats() }, AllowedOrigins: cfg.AllowedOrigins,
		AllowedHosts: cfg.AllowedHosts, Pages: static.FS, Log: log, PortableWrites: cfg.PortableWrites,
		RateLimit: apiLimit(cfg.APIRate),
		TrustCA:   s.tls.trustCA(), NodeHealth: nodeHealth, Pair: pairStatus, Takeover: takeover, Servers: servers, Witness: witness,
		Cues:        s.cueOutcomes,
		ClockOffset: clockOffset, Venues: s.venues, Hall: s.hallStatus, VenueOf: s.venueOf, Media: folder,
		BaseURLs:   s.baseURLs,
		DoctorHost: s.doctorHost,
		Backup:     store.BackupSized, Version: version.String(),
	})
	if err != nil {
		return nil, err
	}
	if s.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if err := s.startNATSSides(reg, folder); err != nil {
		return nil, err
	}
	if err := s.openOSC(); err != nil {
		return nil, err
	}
	s.startCues()
	s.startMDNS()
	return s, nil
}

// startNATSSides starts what rides on the NATS node once the engine and
// the HTTP edge exist: a hall's following of the province, or the pair and
// the province's side toward the halls.
func (s *Server) startNATSSides(reg *access.Registry, folder *media.Store) (err error) {
	switch {
	case s.nats == nil:
		return nil
	case s.clock != nil:
		hub := s.api.Hub()
		s.hall, err = venue.StartHall(venue.HallConfig{Conn: s.nats.nc, ID: s.nats.node.VenueID(), Name: s.cfg.VenueName,
			Province: s.cfg.VenueOf, Engine: s.engine, Clock: s.clock, Screens: hub.Screens, Fire: hub.LatestFire,
			Changed: s.api.LinksChanged, Log: s.log.With("part", "hall")})
		if err != nil {
			return fmt.Errorf("hall: %w", err)
		}
		return nil
	}
	// The copy starts before the pair, whose hellos count what it lacks.
	s.media, err = mediasync.Start(mediasync.Config{Conn: s.nats.nc, Store: folder, Wanted: s.showMedia, Log: s.log.With("part", "media")})
	if err != nil {
		return err
	}
	err = s.nats.pair.Start(s.engine, s.cfg.StandbyOf != "", pairURLs(baseURLs(s.ln.Addr(), s.scheme())), s.api.PairChanged)
	if err != nil {
		return fmt.Errorf("pair: %w", err)
	}
	s.province, err = venue.StartProvince(venue.ProvinceConfig{Conn: s.nats.nc, Engine: s.engine, Primary: s.engine.Primary,
		Known: knownVenues(reg), Addr: s.nats.venueAddr, Changed: s.api.LinksChanged, Log: s.log.With("part", "venues")})
	if err != nil {
		return fmt.Errorf("district halls: %w", err)
	}
	return nil
}

// mediaMissing counts the show's media files this server lacks, as of the
// copy's last round; 0 before it runs.
func (s *Server) mediaMissing() int {
	if s.media == nil {
		return 0
	}
	return len(s.media.Missing())
}

// showMedia lists the hashes of the media the show names.
func (s *Server) showMedia() []string {
	var out []string
	for _, g := range s.engine.Snapshot().Show.Segments {
		if g.Media != nil {
			out = append(out, g.Media.Hash)
		}
	}
	return out
}

// mediaDir is the media folder: next to the database, named after it
// (phatdong.db → phatdong.db.media).
func mediaDir(db string) string { return db + ".media" }

// checkShowMedia refuses a --show file naming a film or a still the media
// folder dir does not hold (every stage screen would fail to load it),
// before anything is opened or made.
func checkShowMedia(path string, show *controller.Show, dir string) error {
	for _, g := range show.Segments {
		if g.Media == nil {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, g.Media.Hash)); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("show file %s: segment %q names the file %s (%s), which %s does not hold; import the show's archive (POST /api/v1/show/archive) or upload the file first",
				path, g.ID, g.Media.Hash, g.Media.Name, dir)
		}
	}
	return nil
}

// readShow reads and checks a show file; the error names the bad field.
func readShow(path string) (*controller.Show, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the show file: %w", err)
	}
	show, err := controller.ParseShow(data)
	if err != nil {
		return nil, fmt.Errorf("show file %s: %w", path, err)
	}
	return show, nil
}

// useShow puts the --show file in use when the store holds another show.
// A restart in the middle of a show must come back up: when a segment is
// running the saved show is kept and a warning logged.
func (s *Server) useShow(show *controller.Show) {
	current := s.engine.Snapshot().Show
	a, errA := current.MarshalIndent()
	b, errB := show.MarshalIndent()
	if errA == nil && errB == nil && string(a) == string(b) {
		return
	}
	_, err := s.engine.ReplaceShow(show, false, controller.Actor{Role: "system", Name: "--show"})
	if err != nil {
		s.log.Warn("kept the saved show; the --show file was not applied", "file", s.cfg.ShowFile, "reason", controller.ErrorMessage(err))
		return
	}
	s.log.Info("show replaced from the --show file", "file", s.cfg.ShowFile)
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Run serves until ctx ends, then shuts down gracefully: websocket clients
// are disconnected and in-flight requests get shutdownGrace to finish.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	expiries := make(chan error, 1)
	go func() { expiries <- s.engine.Run(ctx) }()
	go newStormRelease(s.api.Hub().Connected, s.log).run(ctx)
	go s.serveOSC(ctx)

	hs := s.api.Echo().Server
	hs.Handler = s.api.Handler()
	hs.ReadHeaderTimeout = 10 * time.Second
	hs.IdleTimeout = 2 * time.Minute
	hs.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	ln := s.ln
	if s.tls != nil {
		hs.TLSConfig = s.tls.config
		ln = tls.NewListener(s.ln, s.tls.config)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", s.ln.Addr().String(), "tls", s.tls != nil, "db", s.cfg.DB)

	select {
	case err := <-served:
		cancel()
		<-expiries
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	s.api.Close()
	sctx, scancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer scancel()
	err := hs.Shutdown(sctx)
	<-served
	<-expiries
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// Close releases the listener (if Run never ran), the pair and the NATS
// node, and the database.
func (s *Server) Close() error {
	if s.api != nil {
		s.api.Close()
	}
	if s.ln != nil {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Debug("close listener", "err", err)
		}
	}
	if s.osc != nil {
		_ = s.osc.Close()
	}
	if s.cues != nil {
		s.cues.Close()
	}
	_ = s.mdns.Close()
	if s.hall != nil {
		s.hall.Close()
	}
	if s.province != nil {
		s.province.Close()
	}
	if s.media != nil {
		s.media.Close()
	}
	s.nats.close()
	if err := s.store.Close(); err != nil {
		return err
	}
	return nil
}

// apiLimit is the limiter of perSec authenticated requests a second per
// client address, twice that at once; 0 limits nothing.
func apiLimit(perSec int) *display.RateLimiter {
	if perSec == 0 {
		return display.NewRateLimiter(math.MaxInt32, math.MaxInt32)
	}
	return display.NewRateLimiter(float64(2*perSec), float64(perSec))
}
