package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/venue"
	"github.com/phatdong/phatdong/protocol"
)

// A district hall's server (issue #15): --venue-of names the province
// server's leaf listener (and its standby's), --venue-key the hall's
// credential, made on the province's /edit. Every other server is a
// province to the halls that link to it.

// checkVenueOf checks --venue-of: a comma-separated list of HOST or
// HOST:PORT (node.DefaultLeafPort when not given); "" is no hall.
func checkVenueOf(v string) ([]string, error) {
	var out []string
	for _, a := range splitList(v) {
		if _, _, err := net.SplitHostPort(a); err != nil {
			a = net.JoinHostPort(a, strconv.Itoa(node.DefaultLeafPort))
		}
		host, port, err := splitHostPort(a)
		if err != nil || host == "" || port == 0 {
			return nil, fmt.Errorf("--venue-of: %q is not HOST or HOST:PORT of the province server", a)
		}
		out = append(out, a)
	}
	return out, nil
}

// checkVenueFlags checks what a hall's server needs, and that it is
// nothing else.
func checkVenueFlags(cfg Config) error {
	hall := len(cfg.VenueOf) > 0
	switch {
	case !hall && cfg.VenueKey != "":
		return errors.New("--venue-key is for a district hall's server (--venue-of)")
	case !hall && cfg.VenueName != "":
		return errors.New("--venue is for a district hall's server (--venue-of)")
	case !hall && cfg.VenueCA != "":
		return errors.New("--venue-ca is for a district hall's server (--venue-of)")
	case !hall:
		return nil
	case cfg.VenueKey == "":
		return errors.New("--venue-of needs --venue-key: the line the province's /edit showed when it created the hall")
	case cfg.StandbyOf != "":
		return errors.New("--venue-of and --standby-of exclude each other: a hall follows the province, a standby the primary")
	case cfg.NATSAddr == "":
		return errors.New("--venue-of needs the NATS node (--nats-addr not off)")
	case cfg.ShowFile != "":
		return errors.New("--show is for the province; a hall takes the province's show")
	}
	if _, _, err := node.ParseVenueKey(cfg.VenueKey); err != nil {
		return fmt.Errorf("--venue-key: %w", err)
	}
	return nil
}

// startHallNATS starts a hall's node, linked out to the province's, and
// connects to it with the hall's inbox. A hall has no pair.
func startHallNATS(cfg Config, store *bolt.Store, remoteTLS *tls.Config, log *slog.Logger) (*natsNode, error) {
	n, err := openNode(cfg, store, node.Config{VenueOf: cfg.VenueOf, VenueKey: cfg.VenueKey, RemoteTLS: remoteTLS}, log)
	if err != nil {
		return nil, fmt.Errorf("--venue-of %s: %w", strings.Join(cfg.VenueOf, ","), err)
	}
	if n.nc, err = n.node.ConnectVenue(); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

// knownVenues lists the registry's live venue credentials for the province.
func knownVenues(reg *access.Registry) func() []venue.Known {
	return func() []venue.Known {
		var out []venue.Known
		for _, c := range reg.List() {
			if c.Kind == access.KindVenue && c.Live() {
				out = append(out, venue.Known{ID: c.ID, Name: c.Label, DelayMs: c.DelayMs})
			}
		}
		return out
	}
}

// admitVenue is the node's check of a hall's leaf link.
func admitVenue(reg *access.Registry) func(id, secret string) bool {
	return func(id, secret string) bool {
		_, ok := reg.Venue(id, secret)
		return ok
	}
}

// venueAddr is where hall id's leaf link comes from, "" when none is open.
func (n *natsNode) venueAddr(id string) string {
	for _, l := range n.node.VenueLinks() {
		if l.ID == id {
			return l.Addr
		}
	}
	return ""
}

// venueOf lists the leaf listeners halls dial: this server's on each of
// its LAN addresses, then the peer's (the primary of a standby, or the
// standby of a primary) on the default leaf port.
func (s *Server) venueOf() []string {
	if s.nats == nil || s.nats.node.LeafAddr() == nil {
		return nil
	}
	var out []string
	for _, u := range baseURLs(s.nats.node.LeafAddr(), "leaf") {
		if a := strings.TrimPrefix(u, "leaf://"); !strings.HasPrefix(a, "localhost:") {
			out = append(out, a)
		}
	}
	if s.cfg.StandbyOf != "" {
		out = append(out, s.cfg.StandbyOf)
	} else if p := s.nats.pairStatus(); p != nil && p.Peer != "" {
		host := p.Peer
		if h, _, err := net.SplitHostPort(p.Peer); err == nil {
			host = h
		}
		out = append(out, net.JoinHostPort(host, strconv.Itoa(node.DefaultLeafPort)))
	}
	return out
}

// venues is what the province's operators see of the halls; nil on a hall.
func (s *Server) venues() []protocol.Venue {
	if s.province == nil {
		return nil
	}
	return s.province.Venues()
}

// hallStatus is a hall's link to the province, for its operators; nil on
// a province.
func (s *Server) hallStatus() *protocol.Hall {
	if s.hall == nil {
		return nil
	}
	return s.hall.Status()
}
