package controller_test

import (
	"errors"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// newHall is a district hall's engine and the province's engine it
// mirrors, on clocks of their own.
func newHall(t *testing.T) (hall, province *controller.Engine, store *memStore) {
	t.Helper()
	store = newMemStore()
	hall = openEngine(t, store, newFakeClock())
	hall.SetHall()
	province = openEngine(t, newMemStore(), newFakeClock())
	return hall, province, store
}

func mirror(t *testing.T, hall, province *controller.Engine, withShow bool) controller.Snapshot {
	t.Helper()
	snap := province.Snapshot()
	var show *controller.Show
	if withShow {
		show = snap.Show
	}
	res, err := hall.Mirror(show, snap.State)
	if err != nil {
		t.Fatalf("mirror: %v", err)
	}
	return res.Snapshot
}

// A hall's operator blacks out the hall and messages its speaker; the
// show itself is the province's.
func TestHallTakesOnlyItsOwnCommands(t *testing.T) {
	hall, _, _ := newHall(t)
	for _, tc := range []struct {
		cmd controller.Command
		ok  bool
	}{
		{controller.Command{Type: controller.CmdBlackout, On: on(true)}, true},
		{controller.Command{Type: controller.CmdMessage, Text: "Xin giữ trật tự"}, true},
		{cmd(controller.CmdClearMsg), true},
		{cmd(controller.CmdNext), false},
		{cmd(controller.CmdPrevious), false},
		{controller.Command{Type: controller.CmdGoto, Segment: "b"}, false},
		{cmd(controller.CmdStart), false},
		{cmd(controller.CmdPause), false},
		{controller.Command{Type: controller.CmdAddTime, Seconds: 60}, false},
		{cmd(controller.CmdArm), false},
		{controller.Command{Type: controller.CmdPress, Button: "nut-1", PressID: "p1"}, false},
		{cmd(controller.CmdFire), false},
		{cmd(controller.CmdResetLaunch), false},
		{controller.Command{Type: controller.CmdRehearsal, On: on(true)}, false},
	} {
		before := hall.Snapshot().State
		_, err := hall.Execute(tc.cmd, operator)
		after := hall.Snapshot().State
		if tc.ok {
			if err != nil {
				t.Errorf("%s: refused on a hall: %v", tc.cmd.Type, err)
			}
			if after.Seq != before.Seq+1 {
				t.Errorf("%s: seq %d → %d, want one up", tc.cmd.Type, before.Seq, after.Seq)
			}
			continue
		}
		var de *controller.Error
		if !errors.As(err, &de) || de.Code != controller.EFORBIDDEN {
			t.Errorf("%s: got %v, want forbidden", tc.cmd.Type, err)
		}
		if after.Seq != before.Seq || after.Current != before.Current || after.Launch.Phase != before.Launch.Phase {
			t.Errorf("%s: a refused command changed the hall's state", tc.cmd.Type)
		}
	}
	show := hall.Snapshot().Show.Clone()
	show.Title = "Lễ khác"
	if _, err := hall.ReplaceShow(show, true, operator); err == nil {
		t.Error("a hall replaced the province's show")
	}
}

// Mirror takes everything of the province's state but the hall's own
// blackout and message, numbers it as the hall's next state, and raises
// the show revision when a show comes with it.
func TestMirrorKeepsTheHallsOwn(t *testing.T) {
	hall, province, store := newHall(t)
	first := mirror(t, hall, province, true)
	if first.State.ShowRev != 2 || first.State.Seq != 1 {
		t.Fatalf("first mirror: showRev %d seq %d, want 2 and 1", first.State.ShowRev, first.State.Seq)
	}
	if _, err := hall.Execute(controller.Command{Type: controller.CmdBlackout, On: on(true)}, operator); err != nil {
		t.Fatal(err)
	}
	if _, err := hall.Execute(controller.Command{Type: controller.CmdMessage, Text: "Điểm cầu Bù Đăng"}, operator); err != nil {
		t.Fatal(err)
	}
	for _, c := range []controller.Command{cmd(controller.CmdNext), cmd(controller.CmdStart),
		{Type: controller.CmdMessage, Text: "Còn 5 phút"}, {Type: controller.CmdBlackout, On: on(false)}, cmd(controller.CmdArm)} {
		if _, err := province.Execute(c, operator); err != nil {
			t.Fatalf("province %s: %v", c.Type, err)
		}
	}
	got := mirror(t, hall, province, false)
	want := province.Snapshot().State
	if got.State.Current != want.Current || got.State.Timer != want.Timer || got.State.Launch.Phase != controller.LaunchArmed {
		t.Errorf("hall shows segment %d timer %+v launch %s; the province %d %+v %s",
			got.State.Current, got.State.Timer, got.State.Launch.Phase, want.Current, want.Timer, want.Launch.Phase)
	}
	if !got.State.Blackout || got.State.Message.Text != "Điểm cầu Bù Đăng" {
		t.Errorf("the hall's blackout %v and message %q were overwritten", got.State.Blackout, got.State.Message.Text)
	}
	if got.State.Seq != 4 || got.State.ShowRev != 2 || got.State.Epoch != 0 {
		t.Errorf("hall seq %d showRev %d epoch %d, want 4, 2, 0", got.State.Seq, got.State.ShowRev, got.State.Epoch)
	}
	if got.Show.Title != province.Snapshot().Show.Title {
		t.Errorf("hall shows %q", got.Show.Title)
	}
	if store.saved == nil || store.saved.State.Seq != 4 {
		t.Errorf("the mirror was not committed before it was published")
	}
	// A province state that does not fit the show changes nothing.
	bad := want
	bad.Current = 99
	if _, err := hall.Mirror(nil, bad); err == nil {
		t.Error("mirrored a state pointing past the show")
	}
	if hall.Snapshot().State.Seq != 4 {
		t.Error("a refused mirror changed the hall")
	}
}

// Only a hall mirrors; a hall decides no expiry of its own.
func TestMirrorIsTheHallsAlone(t *testing.T) {
	clock := newFakeClock()
	e := openEngine(t, newMemStore(), clock)
	snap := e.Snapshot()
	if _, err := e.Mirror(nil, snap.State); !errors.Is(err, controller.ErrNotHall) {
		t.Fatalf("a province engine mirrored: %v", err)
	}
	province := openEngine(t, newMemStore(), clock)
	if _, err := province.Execute(cmd(controller.CmdStart), operator); err != nil {
		t.Fatal(err)
	}
	e.SetHall()
	if _, err := e.Mirror(nil, province.Snapshot().State); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	if changed, err := e.Expire(); changed || err != nil {
		t.Errorf("a hall decided an expiry: %v %v", changed, err)
	}
}
