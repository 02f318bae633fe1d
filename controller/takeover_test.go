package controller_test

import (
	"testing"

	"github.com/phatdong/phatdong/controller"
)

func TestTakeoverRaisesTheEpochAndMakesThePrimary(t *testing.T) {
	clock := newFakeClock()
	e := openEngine(t, newMemStore(), clock)
	if _, err := e.Takeover(operator); controller.ErrorCode(err) != controller.ECONFLICT {
		t.Fatalf("takeover on a primary: %v, want %s", err, controller.ECONFLICT)
	}
	mustDo(t, e, controller.Command{Type: controller.CmdStart})
	e.SetPrimary(false)
	before := e.Snapshot().State
	res, err := e.Takeover(controller.Actor{Role: "operator", Name: "MC dự phòng"})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Snapshot.State
	if st.Epoch != before.Epoch+1 || e.Epoch() != st.Epoch || st.Seq != before.Seq+1 || st.EpochSeq != st.Seq || !e.Primary() {
		t.Fatalf("after takeover: epoch %d seq %d primary %v; want epoch %d seq %d primary", st.Epoch, st.Seq, e.Primary(), before.Epoch+1, before.Seq+1)
	}
	if st.Timer != before.Timer || st.Current != before.Current {
		t.Fatalf("a takeover moved the clock: %+v → %+v", before.Timer, st.Timer)
	}
	rep, err := e.Report()
	if err != nil || len(rep.Servers) != 1 || rep.Servers[0].Type != controller.CmdTakeover || rep.Servers[0].Seq != st.Seq || rep.Servers[0].Actor != "MC dự phòng" {
		t.Fatalf("the report's servers: %+v %v; want the takeover", rep.Servers, err)
	}
	// The new primary takes commands, and its fires are named by epoch.
	mustDo(t, e, controller.Command{Type: controller.CmdArm})
	fired := mustDo(t, e, controller.Command{Type: controller.CmdFire})
	if want := "e1-f" + itoa(int(fired.Answer.Seq)); fired.Snapshot.State.Launch.FireID != want {
		t.Fatalf("fireId %q, want %q", fired.Snapshot.State.Launch.FireID, want)
	}
	// A client cannot send a takeover as a command.
	e.SetPrimary(false)
	if _, err := e.Execute(controller.Command{Type: controller.CmdTakeover}, operator); controller.ErrorCode(err) == "" {
		t.Fatal("a takeover sent as a command was accepted")
	}
}

func TestAStandbyFollowsATakeoverEntry(t *testing.T) {
	clock := newFakeClock()
	pstore := newMemStore()
	primary := openEngine(t, pstore, clock)
	store := newMemStore()
	standby := openEngine(t, store, clock)
	standby.SetPrimary(false)
	snap := primary.Snapshot()
	if _, err := standby.Restore(snap.Show, snap.State, 1, operator, ""); err != nil {
		t.Fatal(err)
	}
	primary.SetPrimary(false)
	res, err := primary.Takeover(operator)
	if err != nil {
		t.Fatal(err)
	}
	entry := pstore.journal[len(pstore.journal)-1]
	if _, err := standby.Follow(entry, nil); err != nil {
		t.Fatalf("follow the takeover: %v", err)
	}
	if got := standby.Snapshot().State; got.Epoch != res.Snapshot.State.Epoch || standby.Primary() {
		t.Fatalf("the follower is at epoch %d (primary %v), want %d and still a standby", got.Epoch, standby.Primary(), res.Snapshot.State.Epoch)
	}
}

// mustDo executes cmd as the operator and fails the test when refused.
func mustDo(t *testing.T, e *controller.Engine, cmd controller.Command) controller.Result {
	t.Helper()
	res, err := e.Execute(cmd, operator)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Type, err)
	}
	return res
}
