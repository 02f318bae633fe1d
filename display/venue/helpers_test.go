package venue

import (
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/node/nodetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// shifted is a clock ahead of the machine's by a fixed offset: the
// province's, as a hall sees it.
type shifted struct{ by time.Duration }

func (c shifted) Now() time.Time                         { return time.Now().Add(c.by) }
func (c shifted) After(d time.Duration) <-chan time.Time { return time.After(d) }

// startNode runs one NATS node; province and halls connect to it in
// process (the leaf link and its permissions are display/node's tests).
var startNode, connect = nodetest.Start, nodetest.Connect

func openEngine(t *testing.T, clock controller.Clock) *controller.Engine {
	t.Helper()
	store, err := bolt.OpenWith(filepath.Join(t.TempDir(), "phatdong.db"), bolt.Options{FlushEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	e, err := controller.Open(controller.Config{Store: store, Clock: clock, DefaultShow: show, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// province is a province server's side on n, its clock ahead by offset.
type province struct {
	*Province
	engine  *controller.Engine
	known   atomic.Pointer[[]Known]
	primary atomic.Bool
}

func startProvince(t *testing.T, n *node.Node, offset time.Duration, known ...Known) *province {
	t.Helper()
	p := &province{engine: openEngine(t, shifted{offset})}
	p.known.Store(&known)
	p.primary.Store(true)
	var err error
	p.Province, err = StartProvince(ProvinceConfig{
		Conn: connect(t, n), Engine: p.engine, Primary: p.primary.Load, Log: quiet,
		Known: func() []Known { return *p.known.Load() },
		Now:   func() time.Time { return time.Now().Add(offset) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func (p *province) run(t *testing.T, cmds ...controller.Command) controller.State {
	t.Helper()
	var res controller.Result
	for _, c := range cmds {
		var err error
		if res, err = p.engine.Execute(c, controller.Actor{Role: "operator", Name: "MC"}); err != nil {
			t.Fatalf("province %s: %v", c.Type, err)
		}
	}
	return res.Snapshot.State
}

// hall is a hall's server's side on n.
type hall struct {
	*Hall
	engine *controller.Engine
	clock  *Clock
}

func startHall(t *testing.T, n *node.Node, id string) *hall {
	t.Helper()
	h := &hall{clock: NewClock()}
	h.engine = openEngine(t, h.clock)
	h.engine.SetHall()
	var err error
	h.Hall, err = StartHall(HallConfig{Conn: connect(t, n), ID: id, Name: "tên tạm", Engine: h.engine, Clock: h.clock, Log: quiet,
		Screens: func() int { return 3 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

func eventually(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
	}
}

func on(b bool) *bool { return &b }
