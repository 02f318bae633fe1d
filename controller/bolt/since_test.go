package bolt_test

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

// sinceFixture is an engine on a bolt store that ran five accepted
// commands, the third a replace-show, and one refused command.
func sinceFixture(t *testing.T) (path string, s *bolt.Store, e *controller.Engine, show *controller.Show) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "primary.db")
	s = openManual(t, path, bolt.Options{})
	c := newClock()
	e = openEngine(t, s, c)
	show = e.Snapshot().Show.Clone()
	show.Title = "Lễ phát động (bản sửa)"
	op := controller.Actor{Role: "operator"}
	steps := []func() error{
		func() error { _, err := e.Execute(controller.Command{Type: controller.CmdStart}, op); return err },
		func() error { _, err := e.Execute(controller.Command{Type: controller.CmdNext}, op); return err },
		func() error {
			if _, err := e.Execute(controller.Command{Type: controller.CmdPrevious, Seq: new(uint64)}, op); err == nil {
				t.Fatal("a stale command was taken")
			}
			_, err := e.ReplaceShow(show, true, op)
			return err
		},
		func() error { _, err := e.Execute(controller.Command{Type: controller.CmdNext}, op); return err },
		func() error {
			_, err := e.Execute(controller.Command{Type: controller.CmdAddTime, Seconds: 30}, op)
			return err
		},
	}
	for i, step := range steps {
		c.Advance(1500 * time.Millisecond)
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	return path, s, e, show
}

type sinceItem struct {
	seq  uint64
	typ  controller.CommandType
	show string // the show's title, "" when none
}

func since(t *testing.T, s *bolt.Store, seq uint64) ([]sinceItem, error) {
	t.Helper()
	var got []sinceItem
	err := s.Since(seq, func(e controller.Entry, show *controller.Show) error {
		it := sinceItem{seq: e.Answer.Seq, typ: e.Command.Type}
		if show != nil {
			it.show = show.Title
		}
		if !e.Answer.Accepted() || e.Digest == "" {
			t.Errorf("entry %d: refused or without a digest: %+v", e.Answer.Seq, e)
		}
		got = append(got, it)
		return nil
	})
	return got, err
}

func TestSince(t *testing.T) {
	_, s, _, show := sinceFixture(t)
	all := []sinceItem{
		{1, controller.CmdStart, ""},
		{2, controller.CmdNext, ""},
		{3, controller.CmdReplaceShow, show.Title},
		{4, controller.CmdNext, ""},
		{5, controller.CmdAddTime, ""},
	}
	tests := []struct {
		name string
		from uint64
		want []sinceItem
	}{
		{"from the start", 0, all},
		{"from the middle", 2, all[2:]},
		{"from just before the head", 4, all[4:]},
		{"from the head", 5, nil},
		{"from beyond the head", 99, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := since(t, s, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Since(%d) = %+v, want %+v", tt.from, got, tt.want)
			}
		})
	}
	stop := errors.New("enough")
	n := 0
	err := s.Since(0, func(controller.Entry, *controller.Show) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("an error of fn: %v after %d calls, want it returned after 1", err, n)
	}
}

func TestSinceFeedsAStandby(t *testing.T) {
	_, s, primary, _ := sinceFixture(t)
	ss := openManual(t, filepath.Join(t.TempDir(), "standby.db"), bolt.Options{})
	c := newClock()
	c.Advance(time.Hour)
	standby := openEngine(t, ss, c) // the same default show at seq 0
	standby.SetPrimary(false)
	follow := func(e controller.Entry, show *controller.Show) error {
		_, err := standby.Follow(e, show)
		return err
	}
	if err := s.Since(0, follow); err != nil {
		t.Fatal(err)
	}
	want := primary.Snapshot()
	if got := standby.Snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("standby after catching up:\n%+v\nprimary:\n%+v", got.State, want.State)
	}
	// What the standby keeps answers the same: digests and shows.
	for seq := uint64(1); seq <= want.State.Seq; seq++ {
		pd, _, err1 := s.DigestAt(seq)
		sd, ok, err2 := ss.DigestAt(seq)
		if err1 != nil || err2 != nil || !ok || pd != sd {
			t.Fatalf("DigestAt(%d): primary %q, standby %q %v (%v %v)", seq, pd, sd, ok, err1, err2)
		}
	}
	got, err := since(t, ss, 2)
	if err != nil || len(got) != 3 || got[0].show != want.Show.Title {
		t.Fatalf("the standby's Since(2) = %+v %v", got, err)
	}
	saved, err := ss.Load()
	if err != nil || saved.State.Seq != want.State.Seq || saved.Show.Title != want.Show.Title {
		t.Fatalf("the standby's store holds %+v %v", saved, err)
	}
}

func TestSinceWithoutTheShowKept(t *testing.T) {
	path, s, _, _ := sinceFixture(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A store written before shows were kept lacks them: drop entry 3's.
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("shows")).Delete(binary.BigEndian.AppendUint64(nil, 3))
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	s = openManual(t, path, bolt.Options{})
	if _, err := since(t, s, 0); !errors.Is(err, bolt.ErrShowNotKept) {
		t.Fatalf("Since(0) over a replace-show without its show: %v, want ErrShowNotKept", err)
	}
	if got, err := since(t, s, 3); err != nil || len(got) != 2 {
		t.Fatalf("Since(3), after that entry: %+v %v, want entries 4 and 5", got, err)
	}
}

func TestDigestAt(t *testing.T) {
	_, s, e, _ := sinceFixture(t)
	head := e.Snapshot().State
	if d, ok, err := s.DigestAt(head.Seq); err != nil || !ok || d != controller.Digest(head) {
		t.Fatalf("DigestAt(head) = %q %v %v, want %q", d, ok, err, controller.Digest(head))
	}
	if d, ok, err := s.DigestAt(0); err != nil || !ok || d == "" {
		t.Fatalf("DigestAt(0), the default show loaded: %q %v %v", d, ok, err)
	}
	if _, ok, err := s.DigestAt(head.Seq + 1); err != nil || ok {
		t.Fatalf("DigestAt(head+1) = %v %v, want not found", ok, err)
	}

	// A standby restored back to seq 2: its history is the snapshot's,
	// kept with a journal sequence that is not the state's.
	e.SetPrimary(false)
	back := controller.NewState(9)
	back.Seq = 2
	if _, err := e.Restore(e.Snapshot().Show, back, 1, controller.Actor{Role: "system"}, ""); err != nil {
		t.Fatal(err)
	}
	if d, ok, err := s.DigestAt(2); err != nil || !ok || d != controller.Digest(back) {
		t.Fatalf("DigestAt(2) after the restore = %q %v %v, want the restore's", d, ok, err)
	}
	if _, ok, err := s.DigestAt(4); err != nil || ok {
		t.Fatalf("DigestAt(4) after a restore back to 2 = %v %v, want not found", ok, err)
	}
	if got, err := since(t, s, 2); err != nil || len(got) != 0 {
		t.Fatalf("Since(2) after a restore back to 2 = %+v %v, want nothing", got, err)
	}
	saved, err := s.Load()
	if err != nil || saved.State.Seq != 2 || saved.State.ShowRev != 9 {
		t.Fatalf("after the restore the store holds %+v %v", saved, err)
	}
}
