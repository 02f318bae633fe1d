package controller_test

import (
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// TestExecuteReturnsTheSnapshotItCommitted: the answer's snapshot is the
// state its own command committed; a command committed right after does not
// leak into it.
func TestExecuteReturnsTheSnapshotItCommitted(t *testing.T) {
	clock := newFakeClock()
	e := openEngine(t, newMemStore(), clock)
	rec := &recorder{}
	e.Subscribe(rec)

	first, err := e.Execute(cmd(controller.CmdNext), operator)
	if err != nil {
		t.Fatal(err)
	}
	published := rec.last()
	clock.Advance(time.Second)
	second, err := e.Execute(cmd(controller.CmdNext), operator)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		res     controller.Result
		current int
	}{
		{"first", first, 1},
		{"second", second, 2},
	}
	for _, tt := range tests {
		st := tt.res.Snapshot.State
		if st.Seq != tt.res.Answer.Seq || st.Current != tt.current || tt.res.Snapshot.Show == nil {
			t.Errorf("%s: snapshot seq %d current %d, want seq %d current %d", tt.name, st.Seq, st.Current, tt.res.Answer.Seq, tt.current)
		}
	}
	if first.Snapshot.State.Seq != published.State.Seq || first.Snapshot.State.Current != published.State.Current {
		t.Errorf("the first answer's snapshot (seq %d) is not the one published for it (seq %d)", first.Snapshot.State.Seq, published.State.Seq)
	}
	if now := e.Snapshot().State; now.Seq != second.Answer.Seq || now.Current != 2 {
		t.Errorf("engine at seq %d current %d after the second command", now.Seq, now.Current)
	}
}

// TestExecuteSnapshotsUnderConcurrency: commands from many devices at once
// each get the snapshot of their own commit.
func TestExecuteSnapshotsUnderConcurrency(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	base := e.Snapshot().State
	const n = 16
	results := make([]controller.Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := e.Execute(controller.Command{Type: controller.CmdAddTime, Seconds: 1}, operator)
			if err != nil {
				t.Errorf("command %d: %v", i, err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for i, res := range results {
		st := res.Snapshot.State
		added := int64(st.Seq-base.Seq) * 1000
		if st.Seq != res.Answer.Seq || st.Timer.AddedMs-base.Timer.AddedMs != added || seen[st.Seq] {
			t.Errorf("command %d: answer seq %d, snapshot seq %d with %d ms added, want %d", i, res.Answer.Seq, st.Seq, st.Timer.AddedMs, added)
		}
		seen[st.Seq] = true
	}
}

func TestExecuteResultOfRefusalAndRetry(t *testing.T) {
	e := openEngine(t, newMemStore(), newFakeClock())
	refused, err := e.Execute(cmd(controller.CmdPause), operator)
	if controller.ErrorCode(err) != controller.ECONFLICT || refused.Answer.Error == nil || refused.Snapshot.Show != nil {
		t.Errorf("refused: %+v %v; want a conflict and no snapshot", refused, err)
	}
	c := controller.Command{Type: controller.CmdNext, ID: "mc-1"}
	first, err := e.Execute(c, operator)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(cmd(controller.CmdNext), operator); err != nil {
		t.Fatal(err)
	}
	again, err := e.Execute(c, operator)
	if err != nil || again.Answer != first.Answer {
		t.Fatalf("retry: %+v %v, want the first answer %+v", again.Answer, err, first.Answer)
	}
	if again.Snapshot.State.Current != 2 {
		t.Errorf("a retry answered from the journal shows the current state: current %d, want 2", again.Snapshot.State.Current)
	}
}
