package bolt_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// BenchmarkExecute measures one accepted command through the engine with a
// real bbolt store: validate, apply, commit with fsync, publish.
func BenchmarkExecute(b *testing.B) {
	e := benchEngine(b)
	op := controller.Actor{Role: "operator"}
	cmds := []controller.Command{{Type: controller.CmdMessage, Text: "Còn 5 phút"}, {Type: controller.CmdClearMsg}}
	for i := 0; b.Loop(); i++ {
		if _, err := e.Execute(cmds[i%2], op); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}

// BenchmarkRefused measures one refused command through the engine with a
// real bbolt store: validate, refuse, journal. The engine holds its lock
// for all of it, so this is how fast a client sending bad commands is
// answered, and how long it holds up everyone else.
func BenchmarkRefused(b *testing.B) {
	e := benchEngine(b)
	op := controller.Actor{Role: "operator"}
	for i := 0; b.Loop(); i++ {
		// Clearing a message when there is none is refused.
		if _, err := e.Execute(controller.Command{Type: controller.CmdClearMsg, ID: "r" + strconv.Itoa(i)}, op); err == nil {
			b.Fatal("a refusal was accepted")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "refusals/s")
}

// benchEngine is an engine on the default show and a bbolt store in a
// temporary directory, closed when b ends.
func benchEngine(b *testing.B) *controller.Engine {
	b.Helper()
	show, err := controller.DefaultShow()
	if err != nil {
		b.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	e, err := controller.Open(controller.Config{Store: store, DefaultShow: show})
	if err != nil {
		b.Fatal(err)
	}
	return e
}
