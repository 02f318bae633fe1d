package node

import (
	"errors"
	"fmt"
	"net"
	"net/url"

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
	}
	switch {
	case cfg.Remote != "" && len(cfg.VenueOf) > 0:
		return leaf, "", errors.New("node: a node follows a primary (Remote) or a province (VenueOf), not both")
	case cfg.VenueKey != "" && len(cfg.VenueOf) == 0:
		return leaf, "", errors.New("node: a venue key without the province's address (VenueOf)")
	case len(cfg.VenueOf) > 0:
		remote, id, err := venueRemote(cfg.VenueOf, cfg.VenueKey)
		if err != nil {
			return leaf, "", err
		}
		leaf.Remotes = []*server.RemoteLeafOpts{remote}
		return leaf, id, nil
	case cfg.Remote == "":
		return leaf, "", nil
	}
	if err := checkHostPort(cfg.Remote); err != nil {
		return leaf, "", fmt.Errorf("node: remote %q: %w", cfg.Remote, err)
	}
	u := &url.URL{Scheme: "nats-leaf", User: url.UserPassword(leafUser, cfg.Secret), Host: cfg.Remote}
	leaf.Remotes = []*server.RemoteLeafOpts{{URLs: []*url.URL{u}}}
	return leaf, "", nil
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
