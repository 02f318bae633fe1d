// Package node runs phatdong's embedded NATS server with JetStream: the
// server's edge toward the other servers, as display is its edge toward
// every other machine (screens, buttons, and now the peer server and the
// district halls). The standby follows the primary over this node:
// streams, consumers, publish acknowledgements and request/reply are
// NATS's; phatdong writes only the rules on top.
//
// The node listens on a port of its own and admits only clients that
// present the pairing secret (a NATS token); nothing connects anonymously.
// JetStream keeps its files in the directory given (next to the database)
// and fsyncs every write before acknowledging it (SyncAlways), so a
// publish acknowledgement means the message is on disk.
//
// The standby connects out to the primary's node as a NATS leaf node
// (Config.Remote), on a port of its own, with the same pairing secret: one
// link, over which the primary publishes the journal into a stream stored
// on the standby (standby.go) and the two exchange request/reply messages.
// District halls (venues) connect out to the province server's node as
// leaf nodes too (Config.VenueOf), each with a credential of its own that
// the province checks (Config.Venues) and that confines the link to the
// venue's subjects (venue.go, auth.go).
// Of the domain the package knows nothing: the journal carries opaque
// bodies numbered by the engine's sequence.
package node

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// readyTimeout bounds how long Start waits for the server to accept clients.
const readyTimeout = 10 * time.Second

// Config is what the node needs.
type Config struct {
	// Dir is JetStream's store directory (the server uses <db>.nats,
	// next to the database). Required.
	Dir string
	// Host and Port are where the node listens: "" listens on every
	// address; Port 0 picks a free port (the nats-server's own 0 would
	// mean 4222, so the node translates it).
	Host string
	Port int
	// LeafPort is where another server's node connects as a leaf node (the
	// standby to its primary), on Host; 0 picks a free port.
	LeafPort int
	// Remote is the leaf listener ("host:port") of the node this one
	// connects out to as a leaf node: the primary's, on a standby. ""
	// connects nowhere. The link is re-established by itself when it drops.
	Remote string
	// VenueOf is, on a venue's node, the leaf listeners ("host:port") of
	// the province server and its standby, tried in turn; the link is
	// re-established by itself, to whichever answers. Exclusive with
	// Remote.
	VenueOf []string
	// VenueKey is the venue's credential, "<id>:<secret>", presented to
	// the province (required with VenueOf).
	VenueKey string
	// Venues, on the province's nodes, says whether a venue credential is
	// valid now; nil admits no venue.
	Venues func(id, secret string) bool
	// TLS, when set, makes the leaf listener speak TLS only, with this
	// configuration (the server's certificate): a standby or a hall must
	// then dial with TLS and trust the certificate's CA.
	TLS *tls.Config
	// RemoteTLS, when set, makes the link this node dials (Remote or
	// VenueOf) speak TLS with it: RootCAs holds the CA that signed the
	// other server's certificate, which must name the address dialled.
	RemoteTLS *tls.Config
	// Secret is the pairing secret every client must present. Required.
	Secret string
	// Log receives the server's warnings and errors; nil is slog.Default().
	Log *slog.Logger
}

// Node is a running embedded NATS server with JetStream.
type Node struct {
	srv    *server.Server
	opts   *server.Options
	secret string
	log    *slog.Logger
	auth   *authenticator
	// venueID is the venue this node links as, "" if none.
	venueID string
}

// Start runs the server and waits, at most readyTimeout, until it
// accepts clients. A port in use or an unusable store directory is an
// error naming the cause.
func Start(cfg Config) (*Node, error) {
	if cfg.Dir == "" {
		return nil, errors.New("node: needs a store directory")
	}
	if cfg.Secret == "" {
		return nil, errors.New("node: needs a pairing secret")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	leaf, venueID, err := leafOptions(cfg)
	if err != nil {
		return nil, err
	}
	auth := newAuthenticator(cfg.Secret, cfg.Venues)
	opts := &server.Options{
		Host:     cfg.Host,
		Port:     freePort(cfg.Port),
		LeafNode: leaf,
		// Clients and accepted leaf links alike: the pairing secret, or a
		// venue credential on a leaf link (auth.go).
		CustomClientAuthentication: auth,
		JetStream:                  true,
		StoreDir:                   cfg.Dir,
		// Every JetStream write is fsynced before it is acknowledged.
		SyncAlways: true,
		NoLog:      true,
		NoSigs:     true,
		// No HTTP monitoring, no cluster: a client port and a leaf port.
		DisableJetStreamBanner: true,
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("node: configure the NATS server: %w", err)
	}
	logger := &slogLogger{log: cfg.Log.With("part", "nats")}
	srv.SetLoggerV2(logger, false, false, false)
	srv.Start()
	if !ready(srv, logger) {
		srv.Shutdown()
		srv.WaitForShutdown()
		if msg := logger.fatal(); msg != "" {
			return nil, fmt.Errorf("node: the NATS server did not start: %s", msg)
		}
		return nil, fmt.Errorf("node: the NATS server was not ready after %s", readyTimeout)
	}
	if !srv.JetStreamEnabled() {
		srv.Shutdown()
		srv.WaitForShutdown()
		if msg := logger.fatal(); msg != "" {
			return nil, fmt.Errorf("node: JetStream did not start in %s: %s", cfg.Dir, msg)
		}
		return nil, fmt.Errorf("node: JetStream did not start in %s", cfg.Dir)
	}
	auth.mu.Lock()
	auth.alive = func(cid uint64) bool { return srv.GetLeafNode(cid) != nil }
	auth.mu.Unlock()
	return &Node{srv: srv, opts: opts, secret: cfg.Secret, log: cfg.Log, auth: auth, venueID: venueID}, nil
}

// ready waits until srv accepts clients, at most readyTimeout, and gives
// up at once when the server reported a fatal error (a port in use).
func ready(srv *server.Server, logger *slogLogger) bool {
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		if srv.ReadyForConnections(100 * time.Millisecond) {
			return true
		}
		if logger.fatal() != "" {
			return false
		}
	}
	return false
}

// Addr is the address the node listens on (with the port picked when
// Config.Port was 0).
func (n *Node) Addr() net.Addr { return n.srv.Addr() }

// URL is the nats:// URL of the node's listener, for clients on this
// machine (tests, tools): an unspecified host becomes 127.0.0.1.
func (n *Node) URL() string {
	tcp, ok := n.Addr().(*net.TCPAddr)
	if !ok {
		return "nats://" + n.Addr().String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "nats://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// Connect opens an in-process client connection for the server's own
// use, authenticated with the pairing secret; opts are added (a venue's
// inbox prefix: ConnectVenue). Close it before the node.
func (n *Node) Connect(opts ...nats.Option) (*nats.Conn, error) {
	all := append([]nats.Option{nats.InProcessServer(n.srv), nats.Token(n.secret), nats.Name("phatdong-server")}, opts...)
	nc, err := nats.Connect("", all...)
	if err != nil {
		return nil, fmt.Errorf("node: connect in process: %w", err)
	}
	return nc, nil
}

// Health is what /healthz shows of the node.
type Health struct {
	Addr      string `json:"addr"`
	LeafAddr  string `json:"leafAddr"`
	Leafs     int    `json:"leafs"` // leaf links up (to or from this node)
	JetStream bool   `json:"jetstream"`
	OK        bool   `json:"ok"`
}

// Health reports whether the node is running with JetStream.
func (n *Node) Health() Health {
	h := Health{JetStream: n.srv.JetStreamEnabled(), OK: n.srv.Running(), Leafs: n.srv.NumLeafNodes()}
	if a := n.srv.Addr(); a != nil {
		h.Addr = a.String()
	}
	if a := n.LeafAddr(); a != nil {
		h.LeafAddr = a.String()
	}
	h.OK = h.OK && h.JetStream
	return h
}

// Close shuts the server down and waits until it has stopped.
func (n *Node) Close() {
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
}
