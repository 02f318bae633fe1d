package main

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/pair"
	"github.com/phatdong/phatdong/protocol"
)

// secretServerID names this server in the pair: a standby remembers
// whose state it holds by it.
const secretServerID = "server-id"

// natsNode is the server's embedded NATS node and what rides on it: the
// in-process connection and this server's side of the pair (whose store
// the engine commits through).
type natsNode struct {
	node   *node.Node
	nc     *nats.Conn
	secret string
	pair   *pair.Pair
}

// natsDir is JetStream's store directory: next to the database, named
// after it (phatdong.db → phatdong.db.nats).
func natsDir(db string) string { return db + ".nats" }

// startNATS starts the node on cfg.NATSAddr with the pairing secret
// (given, or stored and generated on first start), linked to the
// primary's node on a standby, connects to it, and makes this server's
// side of the pair.
func startNATS(cfg Config, store *bolt.Store, id string, reg *access.Registry, listenTLS, remoteTLS *tls.Config, mediaMissing func() int, log *slog.Logger) (_ *natsNode, err error) {
	n, err := openNode(cfg, store, node.Config{Remote: cfg.StandbyOf, Venues: admitVenue(reg), TLS: listenTLS, RemoteTLS: remoteTLS}, log)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			n.close()
		}
	}()
	if n.nc, err = n.node.Connect(); err != nil {
		return nil, err
	}
	reg.OnRevoke(func(c access.Credential) { // NATS keeps an open link: close it
		if c.Kind == access.KindVenue {
			n.node.CloseVenue(c.ID)
		}
	})
	n.pair = pair.New(pair.Config{Store: store, History: store, Marks: store, Node: n.node, Conn: n.nc,
		ID: id, Peer: cfg.StandbyOf, Credentials: reg, AutoTakeover: cfg.AutoTakeover, MediaMissing: mediaMissing, Log: log})
	return n, nil
}

// openNode starts the node on cfg.NATSAddr and cfg.LeafPort, its store
// next to the database, with the pairing secret (given, or stored and
// generated on first start); nc holds the rest of its configuration.
func openNode(cfg Config, store *bolt.Store, nc node.Config, log *slog.Logger) (*natsNode, error) {
	host, port, err := splitHostPort(cfg.NATSAddr)
	if err != nil {
		return nil, fmt.Errorf("--nats-addr %q %w", cfg.NATSAddr, err)
	}
	n := &natsNode{}
	if n.secret, err = secret(store, secretPairing, cfg.PairingSecret); err != nil {
		return nil, err
	}
	nc.Dir, nc.Host, nc.Port, nc.LeafPort, nc.Secret, nc.Log = natsDir(cfg.DB), host, port, cfg.LeafPort, n.secret, log
	if n.node, err = node.Start(nc); err != nil {
		return nil, fmt.Errorf("--nats-addr %s, --leaf-port %d: %w", cfg.NATSAddr, cfg.LeafPort, err)
	}
	return n, nil
}

// pairStatus is the pair as operators see it; nil before any peer, and
// on a hall, which has no pair.
func (n *natsNode) pairStatus() *protocol.Pair {
	if n.pair == nil {
		return nil
	}
	return n.pair.Status()
}

// natsHealth is what /healthz shows under "nats".
type natsHealth struct {
	node.Health
	Role string `json:"role"`
}

// health describes the node for /healthz.
func (n *natsNode) health() any {
	role := protocol.RolePrimary
	switch {
	case n.pair == nil:
		role = "hall"
	case n.pair.Standby():
		role = protocol.RoleStandby
	}
	return natsHealth{Health: n.node.Health(), Role: role}
}

// close stops the pair, then the node. It may be called on a half-started
// node.
func (n *natsNode) close() {
	if n == nil {
		return
	}
	if n.pair != nil {
		n.pair.Close()
	}
	if n.nc != nil {
		n.nc.Close()
	}
	if n.node != nil {
		n.node.Close()
	}
}

// checkStandbyOf checks --standby-of: HOST or HOST:PORT of the primary's
// leaf port (node.DefaultLeafPort when not given); "" is a primary.
func checkStandbyOf(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		v = net.JoinHostPort(v, strconv.Itoa(node.DefaultLeafPort))
	}
	host, port, err := splitHostPort(v)
	if err != nil || host == "" || port == 0 {
		return "", fmt.Errorf("--standby-of: %q is not HOST or HOST:PORT of the primary", v)
	}
	return v, nil
}

// pairURLs are the addresses the pair tells devices this server is at:
// its base URLs less "localhost", every machine's name for itself (two
// laptops on the same port would both be http://localhost:8080).
func pairURLs(bases []string) []string {
	var out []string
	for _, b := range bases {
		if u, err := url.Parse(b); err == nil && !strings.EqualFold(u.Hostname(), "localhost") {
			out = append(out, b)
		}
	}
	return out
}
