package cues

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// TestOutcomesSayHowEachCueWent: a fire's cues are recorded pending at
// once, then sent or failed with the reason an operator is told, each
// change announced; a skipped cue says so; a fire the sender did not
// schedule has none.
func TestOutcomesSayHowEachCueWent(t *testing.T) {
	bad, gone := failingTargets(t, http.StatusServiceUnavailable)
	r := newReceivers(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC))
	var changes atomic.Int32
	s, err := Start(Config{Clock: clock, Log: quiet(), Changed: func() { changes.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cues := []controller.Cue{
		{Kind: controller.CueOSC, Target: r.oscTarget(), Address: "/lights/go"},
		{Kind: controller.CueHTTP, Target: bad + "/x", Method: "POST"},
		{Kind: controller.CueHTTP, Target: gone, Method: "GET"},
		{Kind: controller.CueHTTP, Target: r.http.URL + "/later", Method: "PUT", DelayMs: 2000},
		{Kind: controller.CueOSC, Target: r.oscTarget(), Address: "/pyro", SkipRehearsal: true},
		{Kind: controller.CueOSC, Target: r.oscTarget(), Address: "/bad", Args: []json.RawMessage{json.RawMessage(`{"float":"x"}`)}},
	}
	fireAt := clock.Now()
	s.Publish(controller.Snapshot{Show: &controller.Show{Launch: controller.LaunchSet{Cues: cues}}, State: controller.State{
		Rehearsal: true, Launch: controller.Launch{Phase: controller.LaunchFired, FireID: "f1", FireAt: fireAt.UnixMilli()}}})

	// Everything due now goes; the delayed one waits for the fake clock.
	states := func() string {
		out := ""
		for _, o := range s.Outcomes("f1") {
			out += fmt.Sprintf("%d:%s/%s/%d ", o.Index, o.State, o.Reason, o.Status)
		}
		return out
	}
	waitFor := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); states() != want; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("outcomes %q, want %q", states(), want)
			}
		}
	}
	waitFor("0:sent//0 1:failed/status/503 2:failed/refused/0 3:pending//0 4:skipped//0 5:failed/invalid/0 ")
	if got := s.Outcomes("f1"); got[1].Why != "trả lời mã 503" || got[2].Why != "thiết bị từ chối kết nối" || got[5].Why != "tín hiệu không hợp lệ" || got[0].Why != "" {
		t.Errorf("the operators are told why: %q, %q, %q, and %q for a cue sent", got[1].Why, got[2].Why, got[5].Why, got[0].Why)
	}
	if o := s.Outcomes("f1")[3]; o.DueAt != fireAt.Add(2*time.Second).UnixMilli() || o.Method != "PUT" || o.Target != r.http.URL+"/later" {
		t.Errorf("the delayed cue is recorded as %+v", o)
	}
	if o := s.Outcomes("f1")[0]; o.Address != "/lights/go" || o.Method != "" || o.Kind != "osc" {
		t.Errorf("the OSC cue is recorded as %+v", o)
	}
	before := changes.Load()
	clock.Advance(2 * time.Second)
	waitFor("0:sent//0 1:failed/status/503 2:failed/refused/0 3:sent//0 4:skipped//0 5:failed/invalid/0 ")
	for changes.Load() == before {
		time.Sleep(time.Millisecond) // announced after it is recorded
	}
	if got := s.Outcomes("nobody"); got != nil {
		t.Errorf("a fire never scheduled has outcomes %+v", got)
	}
	// A copy: the caller cannot change the record.
	s.Outcomes("f1")[0].State = "x"
	if s.Outcomes("f1")[0].State != protocol.CueSent {
		t.Error("Outcomes returned the record itself")
	}
}

// TestOutcomesKeepTheLatestFires: only the last keepOutcomes fires are
// kept.
func TestOutcomesKeepTheLatestFires(t *testing.T) {
	var o outcomes
	cues := []controller.Cue{{Kind: controller.CueOSC, Target: "127.0.0.1:9", Address: "/a"}}
	for i := range keepOutcomes + 2 {
		o.start(fmt.Sprint("f", i), time.Now(), cues, false)
	}
	if o.get("f0") != nil || o.get("f1") != nil || o.get("f2") == nil || o.get(fmt.Sprint("f", keepOutcomes+1)) == nil || len(o.byID) != keepOutcomes {
		t.Errorf("kept %v", o.order)
	}
}

// TestReasonOf reads the reason an operator is told from errors as the
// network returns them.
func TestReasonOf(t *testing.T) {
	for _, tc := range []struct {
		err    error
		reason string
		status int
	}{
		{&failure{reason: protocol.CueStatus, status: 404, err: errors.New("404")}, protocol.CueStatus, 404},
		{fmt.Errorf("cues: x: %w", failed(protocol.CueInvalid, errors.New("bad arg"))), protocol.CueInvalid, 0},
		{&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "den.local", IsNotFound: true}}, protocol.CueUnreachable, 0},
		{&net.OpError{Op: "dial", Err: fmt.Errorf("connect: %w", syscall.ECONNREFUSED)}, protocol.CueRefused, 0},
		{&net.OpError{Op: "dial", Err: fmt.Errorf("connect: %w", syscall.EHOSTUNREACH)}, protocol.CueUnreachable, 0},
		{fmt.Errorf("cues: POST x: %w", errTimeout{}), protocol.CueTimeout, 0},
		{errors.New("something else"), protocol.CueOther, 0},
	} {
		if reason, status := reasonOf(tc.err); reason != tc.reason || status != tc.status {
			t.Errorf("reasonOf(%v) = %s, %d; want %s, %d", tc.err, reason, status, tc.reason, tc.status)
		}
	}
}

// errTimeout is a net.Error that timed out, as an HTTP client's is.
type errTimeout struct{}

func (errTimeout) Error() string   { return "Client.Timeout exceeded" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }
