package display

import (
	"path/filepath"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// testEngine is an engine on the default show and a bbolt store in a
// temporary directory; the store is closed when tb ends, after every
// cleanup registered later (a hub, a server).
func testEngine(tb testing.TB) (*controller.Engine, *bolt.Store) {
	tb.Helper()
	store, err := bolt.Open(filepath.Join(tb.TempDir(), "show.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	show, err := controller.DefaultShow()
	if err != nil {
		tb.Fatal(err)
	}
	engine, err := controller.Open(controller.Config{Store: store, DefaultShow: show, Log: quietLog()})
	if err != nil {
		tb.Fatal(err)
	}
	return engine, store
}
