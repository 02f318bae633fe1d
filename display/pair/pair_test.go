package pair_test

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

func TestTheStandbyHoldsEveryCommandBeforeItIsAnswered(t *testing.T) {
	p, s := startInSync(t)

	var fireID string
	for _, cmd := range script(p.engine.Snapshot().Show) {
		res := run(t, p, cmd)
		// The invariant: once answered, the standby has it on disk.
		if got := holds(t, s); got < res.Answer.Seq {
			t.Fatalf("%s answered at seq %d while the standby holds only %d", cmd.Type, res.Answer.Seq, got)
		}
		if id := res.Snapshot.State.Launch.FireID; id != "" {
			fireID = id
		}
	}
	if !p.pair.InSync() {
		t.Fatal("the standby fell out of sync on a quiet loopback")
	}
	sameState(t, p, s)
	if got := s.engine.Snapshot().State.Launch.FireID; fireID == "" || got != fireID {
		t.Fatalf("the standby's fireId %q, the primary's %q", got, fireID)
	}
	// A retry of a command id on the standby gets the primary's answer.
	res, err := s.engine.Execute(controller.Command{Type: controller.CmdFire, ID: "fire-once"}, operator)
	if err != nil || res.Answer.Outcome != "fired" {
		t.Fatalf("retry on the standby: %+v, %v; want the primary's answer", res.Answer, err)
	}
	// A new command on the standby is refused.
	if _, err := s.engine.Execute(controller.Command{Type: controller.CmdNext}, operator); controller.ErrorCode(err) != controller.ENOTPRIMARY {
		t.Fatalf("a command on the standby: %v, want %s", err, controller.ENOTPRIMARY)
	}
	st := p.pair.Status()
	if st == nil || st.Role != protocol.RolePrimary || !st.Connected || !st.InSync || st.Peer != "http://standby-1" || st.Unsynced != 0 {
		t.Fatalf("the primary's status %+v", st)
	}
	eventually(t, 5*time.Second, "the standby's status in sync", func() bool {
		st := s.pair.Status()
		return st.Role == protocol.RoleStandby && st.Connected && st.InSync && st.Seq == st.PeerSeq && st.LagCommands == 0
	})
}

func TestAStandbyThatWasDownCatchesUp(t *testing.T) {
	p := startPrimary(t, t.TempDir())
	defer p.close()
	dir := t.TempDir()
	s := startStandby(t, dir, p)
	waitInSync(t, p)
	s.close()

	// The primary goes on alone, each command waiting at most the bound.
	const missed = 40
	for i := range missed {
		at := time.Now()
		run(t, p, controller.Command{Type: controller.CmdAddTime, Seconds: 10 + i})
		if d := time.Since(at); d > time.Second {
			t.Fatalf("command %d took %s without a standby; the wait is bounded", i, d)
		}
	}
	st := p.pair.Status()
	if st.InSync || st.Unsynced < missed-1 {
		t.Fatalf("status %+v: want out of sync, with the commands answered alone counted", st)
	}

	s = startStandby(t, dir, p)
	defer s.close()
	waitInSync(t, p)
	sameState(t, p, s)
	res := run(t, p, controller.Command{Type: controller.CmdStart})
	if got := holds(t, s); got < res.Answer.Seq {
		t.Fatalf("in sync again, yet seq %d answered with the standby at %d", res.Answer.Seq, got)
	}
}

func TestAFreshStandbyStartsFromASnapshot(t *testing.T) {
	p := startPrimary(t, t.TempDir())
	defer p.close()
	for _, cmd := range script(p.engine.Snapshot().Show)[:6] {
		run(t, p, cmd)
	}
	s := startStandby(t, t.TempDir(), p)
	defer s.close()
	waitInSync(t, p)
	sameState(t, p, s)
	run(t, p, controller.Command{Type: controller.CmdNext})
	sameState(t, p, s)
}

func TestADivergedStandbyIsAnAlarmAndStartsOver(t *testing.T) {
	p, s := startInSync(t)

	// A fault: the standby's state differs at the same seq.
	snap := s.engine.Snapshot()
	bad := snap.State.Clone()
	bad.Message = controller.Message{Text: "không có trên máy chính", At: 1}
	if _, err := s.engine.Restore(snap.Show, bad, 1, controller.Actor{Role: "system", Name: "test"}, ""); err != nil {
		t.Fatal(err)
	}
	res := run(t, p, controller.Command{Type: controller.CmdStart})
	eventually(t, 10*time.Second, "the divergence on both sides", func() bool {
		ps, ss := p.pair.Status(), s.pair.Status()
		return ps.Diverged && ss.Diverged && ps.DivergedSeq == res.Answer.Seq && ss.DivergedSeq == res.Answer.Seq
	})
	waitInSync(t, p)
	sameState(t, p, s)
}

func TestEachServerListsThePair(t *testing.T) {
	p := startPrimary(t, t.TempDir())
	defer p.close()
	if got := p.pair.Servers(); got != nil {
		t.Fatalf("a primary alone lists %+v, want none", got)
	}
	s := startStandby(t, t.TempDir(), p)
	defer s.close()
	waitInSync(t, p)
	eventually(t, 5*time.Second, "both lists", func() bool {
		a, b := p.pair.Servers(), s.pair.Servers()
		return len(a) == 2 && len(b) == 2 &&
			a[0].Self && a[0].Role == protocol.RolePrimary && a[0].URLs[0] == "http://primary-1" && a[1].Role == protocol.RoleStandby && a[1].URLs[0] == "http://standby-1" &&
			b[0].Self && b[0].Role == protocol.RoleStandby && b[0].URLs[0] == "http://standby-1" && b[1].Role == protocol.RolePrimary && b[1].URLs[0] == "http://primary-1"
	})
}
