package node_test

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/display/node"
)

// venueBook is the province's list of venue credentials, changed by tests.
type venueBook struct {
	mu   sync.Mutex
	keys map[string]string // secret by id
}

func newBook(keys ...string) *venueBook {
	b := &venueBook{keys: map[string]string{}}
	for _, k := range keys {
		id, secret, _ := strings.Cut(k, ":")
		b.keys[id] = secret
	}
	return b
}

func (b *venueBook) valid(id, secret string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.keys[id]
	return ok && s == secret
}

func (b *venueBook) revoke(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.keys, id)
}

// syncLog is a log written by a node's server and read by the test.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// refusedCount is how many authorization errors the log holds.
func (l *syncLog) refusedCount() int {
	return strings.Count(strings.ToLower(l.String()), "authorization violation")
}

// startProvince runs a province node admitting the venues in book.
func startProvince(t *testing.T, book *venueBook) *node.Node {
	t.Helper()
	n, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Secret: testSecret, Log: quiet, Venues: book.valid})
	if err != nil {
		t.Fatalf("start the province's node: %v", err)
	}
	t.Cleanup(n.Close)
	return n
}

// startVenue runs a venue node linking with key to the leaf listeners
// addrs; its server's log is returned.
func startVenue(t *testing.T, key string, addrs ...string) (*node.Node, *syncLog) {
	t.Helper()
	log := &syncLog{}
	n, err := node.Start(node.Config{
		Dir: t.TempDir(), Host: "127.0.0.1", Secret: "the-venue's-own-secret",
		Log: slog.New(slog.NewTextHandler(log, nil)), VenueOf: addrs, VenueKey: key,
	})
	if err != nil {
		t.Fatalf("start the venue's node: %v", err)
	}
	t.Cleanup(n.Close)
	return n, log
}

// eventually polls cond until it holds, at most 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// linkedIDs is the venue ids of the links open to n.
func linkedIDs(n *node.Node) string {
	var ids []string
	for _, l := range n.VenueLinks() {
		ids = append(ids, l.ID)
	}
	return strings.Join(ids, ",")
}

func connect(t *testing.T, connect func(...nats.Option) (*nats.Conn, error)) *nats.Conn {
	t.Helper()
	nc, err := connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func TestAVenueWithItsKeyLinks(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1"))
	venue, _ := startVenue(t, "hall-1:s1", province.LeafAddr().String())
	eventually(t, "the venue linked", func() bool { return linkedIDs(province) == "hall-1" })
	l := province.VenueLinks()[0]
	if host, _, err := net.SplitHostPort(l.Addr); err != nil || host != "127.0.0.1" {
		t.Fatalf("link %+v, want the venue's address", l)
	}
	eventually(t, "the venue's node counts its link", func() bool { return venue.LeafLinks() == 1 })
	if venue.VenueID() != "hall-1" {
		t.Fatalf("VenueID = %q, want hall-1", venue.VenueID())
	}
}

func TestAVenueWithoutAValidKeyIsRefused(t *testing.T) {
	book := newBook("hall-1:s1-the-right-secret", "hall-2:s2-revoked-secret")
	book.revoke("hall-2")
	province := startProvince(t, book)
	for _, key := range []string{"hall-1:not-the-right-secret", "hall-9:s1-the-right-secret", "hall-2:s2-revoked-secret", "phatdong-x:" + testSecret} {
		t.Run(key, func(t *testing.T) {
			_, log := startVenue(t, key, province.LeafAddr().String())
			eventually(t, "the venue's node logs an authorization error", func() bool { return log.refusedCount() > 0 })
			if province.LeafLinks() != 0 || len(province.VenueLinks()) != 0 {
				t.Fatalf("province has %d leaf links, venues %v; want none", province.LeafLinks(), province.VenueLinks())
			}
			_, secret, _ := strings.Cut(key, ":")
			if strings.Contains(log.String(), secret) {
				t.Fatalf("the venue's log holds its secret:\n%s", log.String())
			}
		})
	}
}

func TestTheStandbysKeyIsNoVenueKey(t *testing.T) {
	// A venue presenting "phatdong" is refused at once by the key's format.
	_, err := node.Start(node.Config{Dir: t.TempDir(), Host: "127.0.0.1", Secret: testSecret, Log: quiet,
		VenueOf: []string{"127.0.0.1:7422"}, VenueKey: "phatdong:" + testSecret})
	if err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Fatalf("err = %v, want the id refused as reserved", err)
	}
}

// received collects the subjects a subscription got.
func received(t *testing.T, nc *nats.Conn, subject string) (subjects func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	if _, err := nc.Subscribe(subject, func(m *nats.Msg) {
		mu.Lock()
		got = append(got, m.Subject)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

func has(subjects []string, s string) bool {
	for _, x := range subjects {
		if x == s {
			return true
		}
	}
	return false
}

// publishUntil publishes subject from nc until got shows it.
func publishUntil(t *testing.T, nc *nats.Conn, subject string, got func() []string) {
	t.Helper()
	eventually(t, subject+" crossed the link", func() bool {
		if err := nc.Publish(subject, []byte("x")); err != nil {
			t.Fatal(err)
		}
		_ = nc.Flush()
		time.Sleep(10 * time.Millisecond)
		return has(got(), subject)
	})
}

func TestProvinceToVenueOnlyTheProvincesSubjects(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1", "hall-2:s2"))
	venue, _ := startVenue(t, "hall-1:s1", province.LeafAddr().String())
	eventually(t, "the venue linked", func() bool { return linkedIDs(province) == "hall-1" })
	pc := connect(t, province.Connect)
	vc := connect(t, venue.Connect)
	all := received(t, vc, ">") // interest in everything, sent across the link
	publishUntil(t, pc, "phatdong.province.state", all)

	forbidden := []string{"phatdong.pair.primary", "_INBOX.other", "_INBOX.venue.hall-2.x", "phatdong.venue.hall-1.status", "$JS.API.INFO"}
	for _, s := range forbidden {
		if err := pc.Publish(s, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	// One link, in order: once the fence is there, whatever was sent
	// before it would be too.
	publishUntil(t, pc, "phatdong.province.fence", all)
	for _, s := range forbidden {
		if has(all(), s) {
			t.Errorf("the venue received %s", s)
		}
	}
}

func TestVenueToProvinceOnlyItsOwnRequests(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1", "hall-2:s2"))
	venue, _ := startVenue(t, "hall-1:s1", province.LeafAddr().String())
	eventually(t, "the venue linked", func() bool { return linkedIDs(province) == "hall-1" })
	pc := connect(t, province.Connect)
	all := received(t, pc, ">")
	if _, err := pc.Subscribe("phatdong.venue.*.status", func(m *nats.Msg) { _ = m.Respond([]byte("đang chạy")) }); err != nil {
		t.Fatal(err)
	}
	vc, err := venue.ConnectVenue()
	if err != nil {
		t.Fatal(err)
	}
	defer vc.Close()
	var reply *nats.Msg
	eventually(t, "the province answered the venue's request", func() bool {
		reply, err = vc.Request("phatdong.venue.hall-1.status", nil, 200*time.Millisecond)
		return err == nil
	})
	if string(reply.Data) != "đang chạy" || !strings.HasPrefix(reply.Subject, node.VenueInbox("hall-1")+".") {
		t.Fatalf("reply %q on %s, want the province's on the venue's inbox", reply.Data, reply.Subject)
	}

	forbidden := []string{"phatdong.command", "phatdong.venue.hall-2.status", "phatdong.standby.journal", "phatdong.pair.hello", "$JS.API.INFO", "_INBOX.venue.hall-1.x"}
	for _, s := range forbidden {
		if err := vc.Publish(s, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	publishUntil(t, vc, "phatdong.venue.hall-1.fence", all)
	for _, s := range forbidden {
		if has(all(), s) {
			t.Errorf("the province received %s from the venue", s)
		}
	}
}

func TestCloseVenueClosesItsLinkAtOnce(t *testing.T) {
	book := newBook("hall-1:s1", "hall-2:s2")
	province := startProvince(t, book)
	_, log1 := startVenue(t, "hall-1:s1", province.LeafAddr().String())
	startVenue(t, "hall-2:s2", province.LeafAddr().String())
	eventually(t, "both venues linked", func() bool { return linkedIDs(province) == "hall-1,hall-2" })

	if n := province.CloseVenue("hall-9"); n != 0 {
		t.Fatalf("CloseVenue(an unknown venue) = %d, want 0", n)
	}
	book.revoke("hall-1")
	if n := province.CloseVenue("hall-1"); n != 1 {
		t.Fatalf("CloseVenue = %d, want 1", n)
	}
	eventually(t, "only hall-2 stays linked", func() bool { return linkedIDs(province) == "hall-2" && province.LeafLinks() == 1 })
	// hall-1 tries again and is refused: revoked, it stays out.
	eventually(t, "hall-1's node logs the refusal", func() bool { return log1.refusedCount() > 0 })
	if got := linkedIDs(province); got != "hall-2" {
		t.Fatalf("linked %q after hall-1 was refused, want hall-2", got)
	}
}

func TestAVenueLinksToTheSecondAddressWhenTheFirstIsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	province := startProvince(t, newBook("hall-1:s1"))
	startVenue(t, "hall-1:s1", down, province.LeafAddr().String())
	eventually(t, "the venue linked to the second address", func() bool { return linkedIDs(province) == "hall-1" })
}

func TestTheStandbyStillGetsEverything(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1"))
	standby := startStandby(t, t.TempDir(), province)
	t.Cleanup(standby.Close)
	if len(province.VenueLinks()) != 0 {
		t.Fatalf("the standby's link listed as a venue: %v", province.VenueLinks())
	}
	pc := connect(t, province.Connect)
	sc := connect(t, standby.Connect)
	onStandby := received(t, sc, ">")
	onProvince := received(t, pc, ">")
	for _, s := range []string{"phatdong.pair.primary", "_INBOX.other", "phatdong.province.state", "phatdong.standby.journal"} {
		publishUntil(t, pc, s, onStandby)
	}
	for _, s := range []string{"phatdong.command", "phatdong.pair.hello", "_INBOX.other.reply", "phatdong.venue.hall-1.status"} {
		publishUntil(t, sc, s, onProvince)
	}
}
