package pair_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/pair"
)

const secret = "pairing-secret-for-tests"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var operator = controller.Actor{Role: "operator", Name: "MC"}

// server is one phatdong server of a pair, without its HTTP edge: a
// bolt store, a NATS node, an engine, and its side of the pair.
type server struct {
	dir    string
	store  *bolt.Store
	node   *node.Node
	nc     *nats.Conn
	engine *controller.Engine
	pair   *pair.Pair
	creds  *fakeCreds
}

// fakeCreds is a registry's side of the credentials: a version and
// records, and what was imported.
type fakeCreds struct {
	mu       sync.Mutex
	version  string
	records  []byte
	imported []string
}

func (f *fakeCreds) Export() (string, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, f.records, nil
}

func (f *fakeCreds) Import(records []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.imported = append(f.imported, string(records))
	return nil
}

func (f *fakeCreds) set(version, records string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version, f.records = version, []byte(records)
}

func (f *fakeCreds) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.imported...)
}

func (s *server) close() {
	if s.pair != nil {
		s.pair.Close()
	}
	s.nc.Close()
	s.node.Close()
	s.store.Close()
}

func open(t testing.TB, dir, remote string) *server {
	t.Helper()
	return openOn(t, dir, remote, 0)
}

// openOn is open with the node's leaf port (0 for a free one).
func openOn(t testing.TB, dir, remote string, leafPort int) *server {
	t.Helper()
	store, err := bolt.OpenWith(filepath.Join(dir, "phatdong.db"), bolt.Options{FlushEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.Start(node.Config{Dir: filepath.Join(dir, "nats"), Host: "127.0.0.1", Secret: secret, Log: quiet, Remote: remote, LeafPort: leafPort})
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	return &server{dir: dir, store: store, node: n, nc: nc}
}

func defaultShow(t testing.TB) *controller.Show {
	t.Helper()
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	return show
}

// startPrimary starts a primary in dir (kept across restarts).
func startPrimary(t testing.TB, dir string) *server {
	t.Helper()
	return startServer(t, open(t, dir, ""), "primary-1", false)
}

// startStandby starts a standby of p in dir.
func startStandby(t testing.TB, dir string, p *server) *server {
	t.Helper()
	return startServer(t, open(t, dir, p.node.LeafAddr().String()), "standby-1", true)
}

// startServer opens the engine on the pair's store and starts the pair.
func startServer(t testing.TB, s *server, id string, standby bool) *server {
	t.Helper()
	return startServerAuto(t, s, id, standby, 0)
}

// startServerAuto is startServer with the automatic takeover after auto
// (0: off).
func startServerAuto(t testing.TB, s *server, id string, standby bool, auto time.Duration) *server {
	t.Helper()
	if s.creds == nil {
		s.creds = &fakeCreds{}
	}
	s.pair = pair.New(pair.Config{Store: s.store, History: s.store, Marks: s.store, Node: s.node, Conn: s.nc,
		ID: id, Peer: "primary", Credentials: s.creds, AutoTakeover: auto, Log: quiet})
	var err error
	if s.engine, err = controller.Open(controller.Config{Store: s.pair.Store(), DefaultShow: defaultShow(t), Log: quiet}); err != nil {
		t.Fatal(err)
	}
	if err := s.pair.Start(s.engine, standby, []string{"http://" + id}, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// startInSync starts a primary and its standby, each in a directory of
// its own, closed at the end of the test, and waits until they are in
// sync with the same state.
func startInSync(t *testing.T) (p, s *server) {
	t.Helper()
	p = startPrimary(t, t.TempDir())
	t.Cleanup(p.close)
	s = startStandby(t, t.TempDir(), p)
	t.Cleanup(s.close)
	waitInSync(t, p)
	sameState(t, p, s)
	return p, s
}

// waitInSync waits until the primary says the standby is in sync.
func waitInSync(t testing.TB, p *server) {
	t.Helper()
	eventually(t, 15*time.Second, "the standby in sync", func() bool { return p.pair.InSync() })
}

func eventually(t testing.TB, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sameState waits until the standby's show and state equal the primary's.
func sameState(t testing.TB, p, s *server) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		a, b := p.engine.Snapshot(), s.engine.Snapshot()
		if a.State.Seq == b.State.Seq && reflect.DeepEqual(a.State, b.State) && reflect.DeepEqual(a.Show, b.Show) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby is at seq %d (%s), the primary at %d (%s)", b.State.Seq, controller.Digest(b.State), a.State.Seq, controller.Digest(a.State))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run executes a command on the primary, failing the test when refused.
func run(t testing.TB, p *server, cmd controller.Command) controller.Result {
	t.Helper()
	res, err := p.engine.Execute(cmd, operator)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Type, err)
	}
	return res
}

// holds is the newest seq the standby holds on its disk: applied, or in
// its stream.
func holds(t testing.TB, s *server) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := s.pair.Holds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// script is a little of everything a ceremony does.
func script(show *controller.Show) []controller.Command {
	on, off := true, false
	return []controller.Command{
		{Type: controller.CmdStart},
		{Type: controller.CmdAddTime, Seconds: 30},
		{Type: controller.CmdPause},
		{Type: controller.CmdResume},
		{Type: controller.CmdMessage, Text: "Xin mời đồng chí phát biểu", Blink: true},
		{Type: controller.CmdNext},
		{Type: controller.CmdClearMsg},
		{Type: controller.CmdBlackout, On: &on},
		{Type: controller.CmdBlackout, On: &off},
		{Type: controller.CmdGoto, Segment: show.Segments[len(show.Segments)-2].ID},
		{Type: controller.CmdRehearsal, On: &on},
		{Type: controller.CmdArm},
		{Type: controller.CmdFire},
		{Type: controller.CmdResetLaunch},
		{Type: controller.CmdArm},
		{Type: controller.CmdFire, ID: "fire-once"},
		{Type: controller.CmdPrevious},
		{Type: controller.CmdResetTimer},
	}
}
