package controller_test

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func TestDigest(t *testing.T) {
	base := controller.NewState(1)
	base.Runs["intro"] = controller.Run{StartedAt: 5, ElapsedMs: 7}
	base.Runs["talk"] = controller.Run{StartedAt: 9}
	d := controller.Digest(base)
	if len(d) != 32 || strings.Trim(d, "0123456789abcdef") != "" {
		t.Fatalf("digest %q is not 32 hex digits", d)
	}
	change := func(f func(*controller.State)) controller.State {
		s := base.Clone()
		f(&s)
		return s
	}
	tests := []struct {
		name string
		st   controller.State
		same bool
	}{
		{"a copy", base.Clone(), true},
		{"no presses instead of none", change(func(s *controller.State) { s.Launch.Presses = nil }), true},
		{"the map built in another order", change(func(s *controller.State) {
			s.Runs = map[string]controller.Run{"talk": {StartedAt: 9}, "intro": {StartedAt: 5, ElapsedMs: 7}}
		}), true},
		{"another seq", change(func(s *controller.State) { s.Seq++ }), false},
		{"a run's elapsed time", change(func(s *controller.State) { s.Runs["intro"] = controller.Run{StartedAt: 5, ElapsedMs: 8} }), false},
		{"a press", change(func(s *controller.State) { s.Launch.Presses = []controller.Press{{Button: "A"}} }), false},
		{"a message", change(func(s *controller.State) { s.Message.Text = "Xin chào" }), false},
		{"the timer", change(func(s *controller.State) { s.Timer.AddedMs = 1 }), false},
	}
	for _, tt := range tests {
		if got := controller.Digest(tt.st) == d; got != tt.same {
			t.Errorf("%s: same digest = %v, want %v", tt.name, got, tt.same)
		}
	}
}

func TestEveryCommitCarriesTheDigestOfItsState(t *testing.T) {
	clock := newFakeClock()
	tap := &tapStore{memStore: newMemStore()}
	e := openEngine(t, tap, clock) // the default show: a load-show entry
	if _, err := e.Execute(cmd(controller.CmdStart), operator); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Execute(cmd(controller.CmdResume), operator); err == nil {
		t.Fatal("resume of a running clock was taken")
	}
	if _, err := e.ReplaceShow(testShow(t), true, operator); err != nil {
		t.Fatal(err)
	}
	clock.Advance(61 * time.Second)
	if ok, err := e.Expire(); !ok || err != nil {
		t.Fatalf("expire: %v %v", ok, err)
	}
	kinds := map[controller.CommandType]bool{}
	for _, rec := range tap.recs {
		kinds[rec.Entry.Command.Type] = true
		if rec.Entry.Digest != controller.Digest(rec.State) {
			t.Errorf("%s: digest %q, its state's %q", rec.Entry.Command.Type, rec.Entry.Digest, controller.Digest(rec.State))
		}
	}
	if len(kinds) != 4 {
		t.Errorf("commits of %v, want load-show, start, replace-show and expire", kinds)
	}
	for _, en := range tap.journal {
		if !en.Answer.Accepted() && en.Digest != "" {
			t.Errorf("the refusal of %s carries a digest", en.Command.Type)
		}
	}
}
