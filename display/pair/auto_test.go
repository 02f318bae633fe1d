package pair_test

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// witnessing sends the standby a witness report every 200 ms until stop.
func witnessing(s *server, r protocol.WitnessReport, stop <-chan struct{}) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		s.pair.Witness("nut-1", r)
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

func TestAutomaticTakeoverOnlyWithAWitness(t *testing.T) {
	const after = time.Second
	p := startPrimary(t, t.TempDir())
	s := startServerAuto(t, open(t, t.TempDir(), p.node.LeafAddr().String()), "standby-1", true, after)
	defer s.close()
	waitInSync(t, p)
	p.close() // the primary dies, or the cable between the laptops is cut

	tests := []struct {
		name   string
		report protocol.WitnessReport
	}{
		{"no witness", protocol.WitnessReport{}},
		{"the witness still hears the primary (the link between the laptops alone is cut)", protocol.WitnessReport{LostMs: 0}},
		{"the witness has not lost it for long enough", protocol.WitnessReport{LostMs: 400}},
		{"the witness saw a higher epoch: a newer primary exists", protocol.WitnessReport{Epoch: 5, LostMs: 60_000}},
	}
	for _, tc := range tests {
		stop := make(chan struct{})
		if tc.name != "no witness" {
			go witnessing(s, tc.report, stop)
		}
		time.Sleep(after + time.Second) // the standby is silent long enough
		close(stop)
		if !s.pair.Standby() {
			t.Fatalf("%s: the standby took over", tc.name)
		}
	}

	stop := make(chan struct{})
	defer close(stop)
	go witnessing(s, protocol.WitnessReport{LostMs: 5000}, stop)
	eventually(t, 3*time.Second, "the automatic takeover", func() bool { return !s.pair.Standby() })
	st := s.engine.Snapshot().State
	if st.Epoch != 1 || !s.engine.Primary() {
		t.Fatalf("after the automatic takeover: epoch %d, primary %v", st.Epoch, s.engine.Primary())
	}
	rep, err := s.engine.Report()
	if err != nil {
		t.Fatal(err)
	}
	last := rep.Servers[len(rep.Servers)-1]
	if last.Type != controller.CmdTakeover || last.Actor != "tự động (nhân chứng nut-1)" {
		t.Fatalf("the journal's takeover: %+v", last)
	}
}
