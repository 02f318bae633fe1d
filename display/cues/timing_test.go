package cues

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// lateBound is how late a cue may arrive after its instant in the timing
// test: generous, for a shared two-core machine where other tests run;
// the figures it logs are what to read. Never early.
const lateBound = 150 * time.Millisecond

// TestCuesArriveAtFireAt fires several times on the real clock and
// checks that each cue arrives once, at fireAt plus its delay, within
// lateBound and never before.
func TestCuesArriveAtFireAt(t *testing.T) {
	r := newReceivers(t)
	s, err := Start(Config{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arg := func(v string) json.RawMessage { return json.RawMessage(v) }
	cues := []controller.Cue{
		{Kind: controller.CueOSC, Target: r.oscTarget(), Address: "/cue/a", Args: []json.RawMessage{arg(`"osc0"`)}},
		{Kind: controller.CueHTTP, Target: r.http.URL + "/a", Method: "POST", Body: "http0"},
		{Kind: controller.CueOSC, Target: r.oscTarget(), Address: "/cue/b", Args: []json.RawMessage{arg(`"osc150"`), arg("1")}, DelayMs: 150},
		{Kind: controller.CueHTTP, Target: r.http.URL + "/b", Method: "PUT", Body: "http150", DelayMs: 150},
	}
	show := &controller.Show{Launch: controller.LaunchSet{Cues: cues}}
	const samples = 5
	var lates []time.Duration
	for n := range samples {
		fireAt := time.Now().Add(200 * time.Millisecond)
		snap := controller.Snapshot{Show: show, State: controller.State{Launch: controller.Launch{
			Phase: controller.LaunchFired, FireID: fmt.Sprintf("fire-%d", n), FireAt: fireAt.UnixMilli()}}}
		s.Publish(snap)
		s.Publish(snap) // the same fire again: sends nothing more
		want := map[string]int{"osc0": 0, "http0": 0, "osc150": 150, "http150": 150}
		for range len(cues) {
			a := <-r.got
			delay, ok := want[a.body]
			if !ok {
				t.Fatalf("sample %d: unexpected or repeated cue %+v", n, a)
			}
			delete(want, a.body)
			due := time.UnixMilli(snap.State.Launch.FireAt).Add(time.Duration(delay) * time.Millisecond)
			late := a.at.Sub(due)
			if late < -time.Millisecond || late > lateBound {
				t.Errorf("sample %d: %s arrived %v after its instant, want 0..%v", n, a.body, late, lateBound)
			}
			lates = append(lates, late)
		}
		waitCount(t, fires(s, FireDuplicate), float64(n+1))
	}
	if got := len(r.arrivals()); got != samples*len(cues) {
		t.Fatalf("received %d cues, want %d", got, samples*len(cues))
	}
	slices.Sort(lates)
	t.Logf("%d cues over %d fires: late by min %v, median %v, max %v", len(lates), samples,
		lates[0], lates[len(lates)/2], lates[len(lates)-1])
}
