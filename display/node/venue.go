package node

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// A district hall ("venue", điểm cầu) runs its own server whose node
// connects out to the province server's leaf listener (Config.VenueOf)
// with a venue credential (Config.VenueKey). Over that link the venue
// receives what the province publishes under ProvinceSubjects, sends its
// requests under VenueSubjects(id) and gets the replies on its own inbox
// prefix, VenueInbox(id); nothing else crosses.
const (
	// ProvinceSubjects is what the province publishes to every venue.
	ProvinceSubjects = "phatdong.province.>"
	venuePrefix      = "phatdong.venue."
	venueInboxPrefix = "_INBOX.venue."
)

// VenueSubjects is the subjects venue id may publish (its requests) on.
func VenueSubjects(id string) string { return venuePrefix + id + ".>" }

// VenueInbox is the inbox prefix of venue id's clients
// (nats.CustomInboxPrefix): the replies to its requests come back under
// it, and only there.
func VenueInbox(id string) string { return venueInboxPrefix + id }

// ValidVenueID says why id cannot name a venue, nil when it can: one
// subject token of letters, digits, '-' and '_', at most 64 bytes, and
// not the standby's user name.
func ValidVenueID(id string) error {
	if id == "" {
		return errors.New("node: empty venue id")
	}
	if len(id) > 64 {
		return fmt.Errorf("node: venue id %q: longer than 64 bytes", id)
	}
	if id == leafUser {
		return fmt.Errorf("node: venue id %q is reserved", id)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return fmt.Errorf("node: venue id %q: only letters, digits, '-' and '_'", id)
		}
	}
	return nil
}

// ParseVenueKey splits a venue credential "<id>:<secret>" (the secret may
// itself hold ':').
func ParseVenueKey(key string) (id, secret string, err error) {
	id, secret, ok := strings.Cut(key, ":")
	if !ok {
		return "", "", errors.New("node: venue key: want <id>:<secret>")
	}
	if err := ValidVenueID(id); err != nil {
		return "", "", fmt.Errorf("venue key: %w", err)
	}
	if secret == "" {
		return "", "", fmt.Errorf("node: venue key for %q: empty secret", id)
	}
	return id, secret, nil
}

// venueRemote is the leaf remote of a venue's node: the province server's
// leaf listener and its standby's, tried in turn (the server moves to the
// next address when one does not answer, and reconnects by itself).
func venueRemote(addrs []string, key string) (*server.RemoteLeafOpts, string, error) {
	id, secret, err := ParseVenueKey(key)
	if err != nil {
		return nil, "", err
	}
	urls := make([]*url.URL, 0, len(addrs))
	for _, a := range addrs {
		if err := checkHostPort(a); err != nil {
			return nil, "", fmt.Errorf("node: venue of %q: %w", a, err)
		}
		urls = append(urls, &url.URL{Scheme: "nats-leaf", User: url.UserPassword(id, secret), Host: a})
	}
	return &server.RemoteLeafOpts{URLs: urls, NoRandomize: true}, id, nil
}

// checkHostPort checks a "host:port" address.
func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || host == "" {
		return errors.New("want host:port")
	}
	return nil
}

// VenueID is the venue this node links as (from Config.VenueKey), "" on
// a node that is no venue.
func (n *Node) VenueID() string { return n.venueID }

// ConnectVenue opens an in-process client on a venue's node whose inbox
// prefix is the venue's, so its requests to the province get replies.
func (n *Node) ConnectVenue() (*nats.Conn, error) {
	if n.venueID == "" {
		return nil, errors.New("node: not a venue (no venue key)")
	}
	return n.Connect(nats.CustomInboxPrefix(VenueInbox(n.venueID)))
}

// VenueLink is an open leaf link of a venue to this (province) node.
type VenueLink struct {
	ID   string        `json:"id"`   // the venue's credential id
	Addr string        `json:"addr"` // where it connects from
	RTT  time.Duration `json:"rtt"`  // last round trip measured, 0 if none yet
}

// VenueLinks lists the venue links open to this node, by venue id.
func (n *Node) VenueLinks() []VenueLink {
	known := n.auth.venueLinks()
	if len(known) == 0 {
		return nil
	}
	lz, err := n.srv.Leafz(&server.LeafzOptions{})
	if err != nil {
		n.log.Warn("venue links: leaf list", "err", err)
		return nil
	}
	var out []VenueLink
	for _, l := range lz.Leafs {
		id, ok := known[l.ID]
		if !ok {
			continue
		}
		rtt, _ := time.ParseDuration(l.RTT) // "" before the first ping
		out = append(out, VenueLink{ID: id, Addr: net.JoinHostPort(l.IP, strconv.Itoa(l.Port)), RTT: rtt})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CloseVenue closes at once every open leaf link of venue id and says how
// many it closed. The server never checks an open link again, so revoke
// the venue's credential first (Config.Venues says false) and then close:
// its reconnects are refused.
func (n *Node) CloseVenue(id string) int {
	closed := 0
	for cid, vid := range n.auth.venueLinks() {
		if vid != id {
			continue
		}
		if err := n.srv.DisconnectClientByID(cid); err == nil {
			closed++
			n.auth.forget(cid)
		}
	}
	if closed > 0 {
		n.log.Info("venue links closed", "venue", id, "links", closed)
	}
	return closed
}
