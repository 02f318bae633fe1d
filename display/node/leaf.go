package node

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// leafUser is the user name a leaf link presents with the pairing secret
// as its password (a leaf listener takes users, not tokens).
const leafUser = "phatdong"

// DefaultLeafPort is where the node listens for leaf links unless told.
const DefaultLeafPort = 7422

// leafOptions is the leaf listener every node runs (any server may be
// the primary a standby connects to, or the province server venues connect
// to) and the remote it connects out to: the primary's, on a standby
// (Config.Remote), or the province's, on a venue (Config.VenueOf). Who may
// link is the authenticator's decision (auth.go): the listener names no
// user, so the server asks it. It also returns the venue id, "" if none.
func leafOptions(cfg Config) (server.LeafNodeOpts, string, error) {
	leaf := server.LeafNodeOpts{
		Host: cfg.Host,
		Port: freePort(cfg.LeafPort),
		// A linked node dials only the addresses it was given: the
		// server's own (its other interfaces, a VPN's) would let a hall
		// or a standby go round the path its technician set up.
		NoAdvertise: true,
		// Uncompressed: a state is a few KB a few times a minute, and the
		// S2 buffers NATS keeps per compressed link cost ~6 MiB each
		// (docs/performance.md, District halls).
		Compression: server.CompressionOpts{Mode: server.CompressionOff},
	}
	if cfg.TLS != nil {
		leaf.TLSConfig = leafTLS(cfg.TLS)
		leaf.TLSTimeout = tlsTimeout.Seconds()
	}
	remotes, id, err := remoteOptions(cfg)
	for _, r := range remotes {
		r.Compression = server.CompressionOpts{Mode: server.CompressionOff}
		if cfg.RemoteTLS != nil {
			r.TLS, r.TLSConfig, r.TLSTimeout = true, leafTLS(cfg.RemoteTLS), tlsTimeout.Seconds()
		}
	}
	leaf.Remotes = remotes
	return leaf, id, err
}

// tlsTimeout bounds a leaf link's TLS handshake: a slow internet path
// still completes one well within it.
const tlsTimeout = 5 * time.Second

// leafTLS is c for a leaf link: NATS speaks its own protocol, not HTTP.
func leafTLS(c *tls.Config) *tls.Config {
	c = c.Clone()
	c.NextProtos = nil
	if c.MinVersion < tls.VersionTLS12 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// remoteOptions is the leaf link the node dials, if any, and the venue id
// it links as.
func remoteOptions(cfg Config) ([]*server.RemoteLeafOpts, string, error) {
	switch {
	case cfg.Remote != "" && len(cfg.VenueOf) > 0:
		return nil, "", errors.New("node: a node follows a primary (Remote) or a province (VenueOf), not both")
	case cfg.VenueKey != "" && len(cfg.VenueOf) == 0:
		return nil, "", errors.New("node: a venue key without the province's address (VenueOf)")
	case len(cfg.VenueOf) > 0:
		remote, id, err := venueRemote(cfg.VenueOf, cfg.VenueKey)
		if err != nil {
			return nil, "", err
		}
		return []*server.RemoteLeafOpts{remote}, id, nil
	case cfg.Remote == "":
		return nil, "", nil
	}
	if err := checkHostPort(cfg.Remote); err != nil {
		return nil, "", fmt.Errorf("node: remote %q: %w", cfg.Remote, err)
	}
	u := &url.URL{Scheme: "nats-leaf", User: url.UserPassword(leafUser, cfg.Secret), Host: cfg.Remote}
	return []*server.RemoteLeafOpts{{URLs: []*url.URL{u}}}, "", nil
}

// freePort is the nats-server's port for ours: 0 means a free port, which
// the server spells RANDOM_PORT (its own 0 means the default port).
func freePort(port int) int {
	if port == 0 {
		return server.RANDOM_PORT
	}
	return port
}

// LeafAddr is the address the node listens on for leaf links, nil before
// the listener is up.
// The server writes the port it picked back into its options before it
// reports itself ready.
func (n *Node) LeafAddr() net.Addr {
	port := n.opts.LeafNode.Port
	if port <= 0 {
		return nil
	}
	return &net.TCPAddr{IP: net.ParseIP(n.opts.LeafNode.Host), Port: port}
}

// LeafLinks is how many leaf links are up, to or from this node.
func (n *Node) LeafLinks() int { return n.srv.NumLeafNodes() }
