package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// BenchmarkExecute measures one accepted command through the engine with a
// real bbolt store: validate, apply, commit with fsync, publish.
func BenchmarkExecute(b *testing.B) {
	show, err := controller.DefaultShow()
	if err != nil {
		b.Fatal(err)
	}
	store, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	e, err := controller.Open(controller.Config{Store: store, DefaultShow: show})
	if err != nil {
		b.Fatal(err)
	}
	op := controller.Actor{Role: "operator"}
	cmds := []controller.Command{{Type: controller.CmdMessage, Text: "Còn 5 phút"}, {Type: controller.CmdClearMsg}}
	for i := 0; b.Loop(); i++ {
		if _, err := e.Execute(cmds[i%2], op); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commands/s")
}
