package cues

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// TestFailedCuesAreCounted: a cue answered with an error, or sent where
// nothing listens, is counted as failed; the others still go.
func TestFailedCuesAreCounted(t *testing.T) {
	bad, gone := failingTargets(t, http.StatusInternalServerError)
	r := newReceivers(t)
	s, err := Start(Config{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	show := &controller.Show{Launch: controller.LaunchSet{Cues: []controller.Cue{
		{Kind: controller.CueHTTP, Target: bad, Method: "POST"},
		{Kind: controller.CueHTTP, Target: gone, Method: "GET"},
		{Kind: controller.CueHTTP, Target: r.http.URL + "/ok", Method: "GET"},
	}}}
	s.Publish(controller.Snapshot{Show: show, State: controller.State{Launch: controller.Launch{
		Phase: controller.LaunchFired, FireID: "f", FireAt: time.Now().UnixMilli()}}})
	waitCount(t, cueCount(s, "http", CueFailed), 2)
	waitCount(t, cueCount(s, "http", CueSent), 1)
	if a := <-r.got; a.what != "GET /ok" {
		t.Fatalf("got %+v", a)
	}
}

func TestSentFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.json")
	s, err := loadSent(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range keepSent + 3 {
		if err := s.add(string(rune('A' + i))); err != nil {
			t.Fatal(err)
		}
	}
	again, err := loadSent(path)
	if err != nil || len(again.ids) != keepSent || again.has("A") || !again.has(string(rune('A'+keepSent+2))) {
		t.Fatalf("reloaded %v, %v", again.ids, err)
	}
	if err := os.WriteFile(path, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSent(path); err == nil {
		t.Fatal("a broken sent file was taken")
	}
}
