package main

import (
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

var (
	secretRE   = regexp.MustCompile(`pairing secret\): (\S+)`)
	leafPortRE = regexp.MustCompile(`--standby-of \S+:(\d+) `)
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

// pair reads the pair from a server's /healthz; ok false when it cannot
// be reached.
func (p *proc) pair() (pr protocol.Pair, ok bool) {
	code, body := p.call("GET", "/healthz", "", "")
	var h struct {
		Pair protocol.Pair `json:"pair"`
	}
	if code != 200 || json.Unmarshal(body, &h) != nil {
		return protocol.Pair{}, false
	}
	return h.Pair, true
}

// pairOf is p.pair, failing the test when p cannot be reached.
func pairOf(t *testing.T, p *proc) protocol.Pair {
	t.Helper()
	pr, ok := p.pair()
	if !ok {
		t.Fatalf("%s/healthz cannot be read", p.base)
	}
	return pr
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

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// TestTakeoverOfAKilledPrimaryThenItStepsDown: the primary process is
// killed with SIGKILL right after the launch fired; one takeover on the
// standby (by API) makes it the primary one epoch up; the button's press
// resent to it is answered as the first time, never fired twice; the old
// primary, restarted on its own, serves alone until it hears of the
// higher epoch, then follows.
func TestTakeoverOfAKilledPrimaryThenItStepsDown(t *testing.T) {
	dir := t.TempDir()
	leaf := freePort(t)
	primary := launch(t, filepath.Join(dir, "primary.db"), "--leaf-port", leaf)
	standby := launchStandby(t, filepath.Join(dir, "standby.db"), primary)
	waitPaired(t, primary, standby)

	primary.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	primary.must(t, "/api/v1/commands", testToken, `{"type":"start"}`)
	primary.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	const press = `{"button":"nut-1","name":"Nút Chủ tịch","pressId":"p-1"}`
	fired := primary.must(t, "/api/v1/press", testKey, press)
	if fired.Answer.Outcome != "fired" {
		t.Fatalf("the press did not fire: %+v", fired.Answer)
	}
	primary.kill(t)

	// Commands on the standby are refused until the takeover.
	if code, body := call(t, "POST", standby.base+"/api/v1/commands", testToken, `{"type":"next"}`); code != 503 || !strings.Contains(string(body), "not_primary") {
		t.Fatalf("a command on the standby: %d %s", code, body)
	}
	took := standby.must(t, "/api/v1/takeover", testToken, `{}`)
	if took.State.Epoch != 1 || took.State.Seq != fired.State.Seq+1 || took.State.Launch.FireID != fired.State.Launch.FireID {
		t.Fatalf("after the takeover: epoch %d seq %d fire %q; want epoch 1, seq %d, fire %q",
			took.State.Epoch, took.State.Seq, took.State.Launch.FireID, fired.State.Seq+1, fired.State.Launch.FireID)
	}
	again := standby.must(t, "/api/v1/press", testKey, press)
	if again.Answer.Outcome != "fired" || again.Answer.Seq != fired.Answer.Seq || again.State.Launch.FireID != fired.State.Launch.FireID {
		t.Fatalf("the press resent to the new primary: %+v fire %q; want the first answer", again.Answer, again.State.Launch.FireID)
	}
	standby.must(t, "/api/v1/commands", testToken, `{"type":"next"}`)

	// The old primary comes back on its own, on its leaf port...
	old := launch(t, filepath.Join(dir, "primary.db"), "--leaf-port", leaf)
	// ...and steps down once it hears of epoch 1.
	waitFor(t, 20*time.Second, "the old primary following the new one", func() bool {
		p := pairOf(t, old)
		return p.Role == protocol.RoleStandby && p.Epoch == 1 && p.InSync
	})
	want := standby.state(t).State
	waitFor(t, 10*time.Second, "the old primary at the new primary's state", func() bool { return old.state(t).State.Seq == want.Seq })
	if got := old.state(t).State; got.Epoch != 1 || got.Launch.FireID != fired.State.Launch.FireID || got.Current.ID != want.Current.ID {
		t.Fatalf("the old primary follows at epoch %d, fire %q, segment %q; want 1, %q, %q", got.Epoch, got.Launch.FireID, got.Current.ID, fired.State.Launch.FireID, want.Current.ID)
	}
	if code, _ := call(t, "POST", old.base+"/api/v1/commands", testToken, `{"type":"previous"}`); code != 503 {
		t.Fatalf("a command on the old primary after it stepped down: %d, want 503", code)
	}
}
