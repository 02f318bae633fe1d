package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

var (
	secretRE   = regexp.MustCompile(`pairing secret\): (\S+)`)
	leafPortRE = regexp.MustCompile(`--standby-of <địa chỉ máy này>:(\d+)`)
)

// launchPair runs a primary and its standby as two processes, and waits
// until both say the standby is in sync.
func launchPair(t *testing.T, dir string) (primary, standby *proc) {
	t.Helper()
	primary = launch(t, filepath.Join(dir, "primary.db"))
	standby = launchStandby(t, filepath.Join(dir, "standby.db"), primary)
	waitPaired(t, primary, standby)
	return primary, standby
}

// launchStandby runs the standby of primary on db.
func launchStandby(t *testing.T, db string, primary *proc) *proc {
	t.Helper()
	secret := primary.printed(t, secretRE)[1]
	leaf := primary.printed(t, leafPortRE)[1]
	return launch(t, db, "--standby-of", "127.0.0.1:"+leaf, "--pairing-secret", secret)
}

// pairOf reads the pair from a server's /healthz.
func pairOf(t *testing.T, p *proc) protocol.Pair {
	t.Helper()
	code, body := call(t, "GET", p.base+"/healthz", "", "")
	var h struct {
		Pair protocol.Pair `json:"pair"`
	}
	if err := json.Unmarshal(body, &h); code != 200 || err != nil {
		t.Fatalf("healthz: %d %s", code, body)
	}
	return h.Pair
}

func waitPaired(t *testing.T, primary, standby *proc) {
	t.Helper()
	waitFor(t, 20*time.Second, "both servers saying the standby is in sync", func() bool {
		return pairOf(t, primary).InSync && pairOf(t, standby).InSync
	})
}

// TestKill9ThePrimaryLosesNothingTheStandbyAcknowledged: commands run on
// the primary process while its standby, another process, follows; the
// primary is killed with SIGKILL right after a launch fires. Every command
// answered is on the standby, with the same fireId, and the standby has
// fired nothing else.
func TestKill9ThePrimaryLosesNothingTheStandbyAcknowledged(t *testing.T) {
	primary, standby := launchPair(t, t.TempDir())
	primary.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	primary.must(t, "/api/v1/commands", testToken, `{"type":"start"}`)
	for i := range 30 {
		primary.must(t, "/api/v1/commands", testToken, fmt.Sprintf(`{"type":"add-time","seconds":%d}`, 1+i%5))
	}
	primary.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	fired := primary.must(t, "/api/v1/press", testKey, `{"button":"nut-1","name":"Nút Chủ tịch","pressId":"p-1"}`)
	if fired.Answer.Outcome != "fired" {
		t.Fatalf("the press did not fire: %+v", fired.Answer)
	}
	primary.kill(t)

	waitFor(t, 10*time.Second, "the standby at the fire's seq", func() bool { return standby.state(t).State.Seq >= fired.State.Seq })
	got := standby.state(t)
	if got.State.Seq != fired.State.Seq || got.State.Launch.FireID != fired.State.Launch.FireID || got.State.Launch.FireAt != fired.State.Launch.FireAt {
		t.Fatalf("the standby holds seq %d fire %q at %d; the primary answered seq %d fire %q at %d",
			got.State.Seq, got.State.Launch.FireID, got.State.Launch.FireAt, fired.State.Seq, fired.State.Launch.FireID, fired.State.Launch.FireAt)
	}
	if got.State.Timer != fired.State.Timer {
		t.Fatalf("the standby's timer %+v, the primary's %+v", got.State.Timer, fired.State.Timer)
	}
	waitFor(t, 10*time.Second, "the standby noticing the primary is gone", func() bool { return !pairOf(t, standby).Connected })
}

// TestAStandbyProcessKilledCatchesUp: the standby is killed, the primary
// goes on alone (out of sync, counting what it answered alone), the
// standby comes back and catches up from the primary's journal.
func TestAStandbyProcessKilledCatchesUp(t *testing.T) {
	dir := t.TempDir()
	primary, standby := launchPair(t, dir)
	primary.must(t, "/api/v1/commands", testToken, `{"type":"start"}`)
	standby.kill(t)
	const alone = 25
	for i := range alone {
		primary.must(t, "/api/v1/commands", testToken, fmt.Sprintf(`{"type":"add-time","seconds":%d}`, 1+i))
	}
	if st := pairOf(t, primary); st.InSync || st.Unsynced < alone-1 {
		t.Fatalf("the primary's pair %+v: want out of sync, with about %d commands answered alone", st, alone)
	}
	standby = launchStandby(t, filepath.Join(dir, "standby.db"), primary)
	waitPaired(t, primary, standby)
	want := primary.state(t).State
	waitFor(t, 10*time.Second, "the standby at the primary's state", func() bool { return standby.state(t).State.Seq == want.Seq })
	if got := standby.state(t).State; got.Timer != want.Timer {
		t.Fatalf("caught up to timer %+v, the primary's %+v", got.Timer, want.Timer)
	}
}
