// Package nodetest runs an embedded NATS node (display/node) for the tests
// of what rides on it: one node on loopback, with in-process connections,
// stopped when the test ends.
package nodetest

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/phatdong/phatdong/display/node"
)

// Secret is the pairing secret of a test node.
const Secret = "nodetest-secret"

// Start runs a node on 127.0.0.1 with its store in a temporary folder.
func Start(tb testing.TB) *node.Node {
	tb.Helper()
	n, err := node.Start(node.Config{Dir: filepath.Join(tb.TempDir(), "nats"), Host: "127.0.0.1", Secret: Secret,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(n.Close)
	return n
}

// Connect opens an in-process connection to n, closed when the test ends.
func Connect(tb testing.TB, n *node.Node) *nats.Conn {
	tb.Helper()
	nc, err := n.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}
