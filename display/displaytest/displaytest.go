// Package displaytest runs the real phatdong server in-process for tests:
// the engine on a bbolt store in a temporary directory, display's HTTP edge
// and websocket hub, served on 127.0.0.1 until the test ends.
package displaytest

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/protocol"
)

// OperatorToken is the administrator's token of a test server unless
// Options give another.
const OperatorToken = "test-operator-token"

// Options adjust a test server. The zero value serves the default show with
// the default credentials, no pages and no expiry loop.
type Options struct {
	OperatorToken string
	// ButtonKey is the shared button key of an older database: every press
	// with it counts as one button. "" gives none; Server.ButtonKey makes
	// a button's own key.
	ButtonKey string
	// Show is the show to start on; nil means controller.DefaultShow().
	Show *controller.Show
	// EditShow, when set, changes the show before the server starts.
	EditShow       func(*controller.Show)
	AllowedOrigins []string
	Pages          fs.FS
	// Expiry runs the engine's expiry loop (segments that hold or advance).
	Expiry bool
	Log    *slog.Logger // nil discards the logs
	// TLS serves HTTPS and wss with httptest's certificate, which is its
	// own CA: Server.HTTP.Certificate() is what a client must trust.
	TLS bool
	// TrustCA is display.Config.TrustCA.
	TrustCA []byte
	// RateLimit is display.Config.RateLimit: nil limits each address as
	// the real server does.
	RateLimit *display.RateLimiter
	// Pair is display.Config.Pair: nil runs without a pair. Call
	// Server.Display.PairChanged after changing what it returns.
	Pair func() *protocol.Pair
	// Cues is display.Config.Cues: nil, none. Call
	// Server.Display.CuesChanged after changing what it returns.
	Cues func(fireID string) []protocol.CueOutcome
	// DoctorHost is display.Config.DoctorHost: nil tells nothing of the
	// machine (no addresses, no disk).
	DoctorHost func() protocol.DoctorHost
	// Takeover is display.Config.Takeover: nil refuses takeovers. A hook
	// that needs the running server (its Engine, to call Engine.Takeover
	// after Engine.SetPrimary(false)) reads a variable set to what Start
	// returned.
	Takeover display.TakeoverFunc
	// Servers is display.Config.Servers: nil runs a server alone.
	Servers func() []protocol.ServerInfo
	// Venues is display.Config.Venues (the district halls of a province
	// server) and Hall is display.Config.Hall (a hall's link to the
	// province); nil gives none. Call Server.Display.LinksChanged after
	// changing what they return.
	Venues func() []protocol.Venue
	Hall   func() *protocol.Hall
	// Version is display.Config.Version, the release /healthz reports.
	Version string
	// HallEngine makes the engine a district hall's (Engine.SetHall)
	// before the server serves.
	HallEngine bool
	// MediaLimit is the largest upload the media folder takes (0: the
	// real server's 4 GiB). Every test server has a media folder of its
	// own, Server.Media.
	MediaLimit int64
}

// Server is a running test server.
type Server struct {
	URL     string // http://127.0.0.1:PORT (https:// with Options.TLS)
	WSURL   string // ws://127.0.0.1:PORT/ws (wss://)
	Engine  *controller.Engine
	Store   *bolt.Store
	Display *display.Server
	Media   *media.Store
	// HTTP is the loopback server; its Client keeps connections alive.
	HTTP *httptest.Server
}

// Start runs a server until tb ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.OperatorToken == "" {
		opts.OperatorToken = OperatorToken
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	show := opts.Show
	if show == nil {
		var err error
		if show, err = controller.DefaultShow(); err != nil {
			tb.Fatal(err)
		}
	}
	if opts.EditShow != nil {
		opts.EditShow(show)
	}
	store, err := bolt.Open(filepath.Join(tb.TempDir(), "phatdong.db"))
	if err != nil {
		tb.Fatal(err)
	}
	engine, err := controller.Open(controller.Config{Store: store, DefaultShow: show, Log: opts.Log})
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	if opts.HallEngine {
		engine.SetHall()
	}
	reg, err := access.Open(access.Options{Store: store, Admin: opts.OperatorToken, Shared: opts.ButtonKey})
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	folder, err := media.Open(filepath.Join(tb.TempDir(), "media"), opts.MediaLimit)
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	srv, err := display.New(display.Config{
		Engine: engine, Auth: display.NewAuth(reg),
		AllowedOrigins: opts.AllowedOrigins, Pages: opts.Pages, Log: opts.Log, TrustCA: opts.TrustCA,
		RateLimit: opts.RateLimit, Pair: opts.Pair, Cues: opts.Cues, DoctorHost: opts.DoctorHost, Takeover: opts.Takeover, Servers: opts.Servers,
		Venues: opts.Venues, Hall: opts.Hall, Media: folder, Version: opts.Version,
	})
	if err != nil {
		store.Close()
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if opts.Expiry {
			_ = engine.Run(ctx)
		}
	}()
	ts := httptest.NewUnstartedServer(srv.Handler())
	if opts.TLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	tb.Cleanup(func() {
		srv.Close()
		ts.Close()
		cancel()
		<-done
		_ = store.Close()
	})
	return &Server{
		URL: ts.URL, WSURL: "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws", // https → wss
		Engine: engine, Store: store, Display: srv, Media: folder, HTTP: ts,
	}
}

// ButtonKey makes a credential of its own for the button id and returns
// its secret: presses with it count as that button.
func (s *Server) ButtonKey(tb testing.TB, button string) string {
	tb.Helper()
	_, secret, err := s.Display.Auth().Registry().Create(access.KindButton, "Nút "+button, button)
	if err != nil {
		tb.Fatal(err)
	}
	return secret
}
