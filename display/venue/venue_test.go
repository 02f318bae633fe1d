package venue

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

var buDang = Known{ID: "k0a1b2c3d4e", Name: "Huyện Bù Đăng", DelayMs: 1500}

// A hall shows the province's show and state, keeps its own blackout,
// and starts the moment at the province's instant plus its delay.
func TestAHallFollowsTheProvince(t *testing.T) {
	n := startNode(t)
	p := startProvince(t, n, 0, buDang)
	show := p.engine.Snapshot().Show.Clone()
	film := &controller.Media{Hash: strings.Repeat("ab", 32), Kind: controller.MediaVideo, Type: "video/mp4", Size: 1 << 20, DurationMs: 480_000}
	show.Segments[3].Media = film // the documentary
	if _, err := p.engine.ReplaceShow(show, true, controller.Actor{Role: "operator"}); err != nil {
		t.Fatal(err)
	}
	p.run(t, controller.Command{Type: controller.CmdNext}, controller.Command{Type: controller.CmdStart})
	h := startHall(t, n, buDang.ID)
	if _, err := h.engine.Execute(controller.Command{Type: controller.CmdBlackout, On: on(true)}, controller.Actor{Role: "operator"}); err != nil {
		t.Fatal(err)
	}
	want := p.engine.Snapshot()
	eventually(t, 5*time.Second, "the hall shows the province's segment", func() bool {
		return h.engine.Snapshot().State.Current == want.State.Current
	})
	got := h.engine.Snapshot()
	if got.Show.Title != want.Show.Title || got.State.Timer != want.State.Timer || !got.State.Blackout {
		t.Errorf("hall: show %q timer %+v blackout %v; province %q %+v", got.Show.Title, got.State.Timer, got.State.Blackout, want.Show.Title, want.State.Timer)
	}
	if g := got.Show.Segments[3]; g.Media != nil || g.Title != show.Segments[3].Title {
		t.Errorf("the hall's show carries the province's film %+v: its stage would ask its own server for it", g.Media)
	}
	eventually(t, 5*time.Second, "the hall learns its name and delay", func() bool {
		s := h.Status()
		return s.Linked && s.Name == buDang.Name && s.DelayMs == 1500
	})

	fired := p.run(t, controller.Command{Type: controller.CmdArm}, controller.Command{Type: controller.CmdFire})
	eventually(t, 5*time.Second, "the hall mirrors the fire", func() bool {
		return h.engine.Snapshot().State.Launch.Phase == controller.LaunchFired
	})
	l := h.engine.Snapshot().State.Launch
	if l.FireAt != fired.Launch.FireAt+1500 || l.FireID != fired.Launch.FireID {
		t.Errorf("hall fires %s at %d, want %s at %d + 1500", l.FireID, l.FireAt, fired.Launch.FireID, fired.Launch.FireAt)
	}
	// A new delay moves the hall's instant at once.
	next := buDang
	next.DelayMs = 2500
	p.known.Store(&[]Known{next})
	eventually(t, 5*time.Second, "the hall takes its new delay", func() bool {
		return h.engine.Snapshot().State.Launch.FireAt == fired.Launch.FireAt+2500
	})
	if !h.engine.Snapshot().State.Blackout {
		t.Error("following the province lifted the hall's own blackout")
	}
}

// The hall's server tells the province's time: its clock is within the
// exchange's bound of the province's, whatever the machines' clocks say.
func TestAHallTellsTheProvincesTime(t *testing.T) {
	n := startNode(t)
	const ahead = 4*time.Second + 321*time.Millisecond
	startProvince(t, n, ahead, buDang)
	h := startHall(t, n, buDang.ID)
	eventually(t, 5*time.Second, "the hall's clock is synchronised", func() bool { return h.Status().Synced })
	for i := 0; i < 5; i++ {
		s := h.Status()
		errMs := math.Abs(s.OffsetMs - float64(ahead.Milliseconds()))
		if errMs > math.Max(s.ErrorMs, 1) {
			t.Errorf("offset %.3f ms, want %d ± %.3f", s.OffsetMs, ahead.Milliseconds(), s.ErrorMs)
		}
		if d := h.clock.Now().Sub(time.Now().Add(ahead)); d.Abs() > 5*time.Millisecond {
			t.Errorf("the hall's clock is %s off the province's", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Only the primary answers and publishes: a hall follows it, not the
// standby on the same link, and of two primaries the higher epoch.
func TestAHallFollowsThePrimary(t *testing.T) {
	n := startNode(t)
	primary := startProvince(t, n, 0, buDang)
	standby := startProvince(t, n, 0, buDang)
	standby.primary.Store(false)
	standby.run(t, controller.Command{Type: controller.CmdGoto, Segment: standby.engine.Snapshot().Show.Segments[3].ID})
	primary.run(t, controller.Command{Type: controller.CmdNext})
	h := startHall(t, n, buDang.ID)
	eventually(t, 5*time.Second, "the hall follows the primary", func() bool { return h.Status().Seq == primary.engine.Snapshot().State.Seq })
	for i := 0; i < 10; i++ {
		if cur := h.engine.Snapshot().State.Current; cur != 1 {
			t.Fatalf("the hall shows segment %d, the standby's; want the primary's 1", cur)
		}
		primary.run(t, controller.Command{Type: controller.CmdAddTime, Seconds: 10})
		time.Sleep(20 * time.Millisecond)
	}
	if vs := standby.Venues(); len(vs) != 1 || !vs[0].Linked || vs[0].Screens != 3 {
		t.Errorf("the standby does not list the hall it hears: %+v", vs)
	}
}

// A hall the province does not know gets nothing; the province lists the
// halls it knows, linked or not.
func TestAnUnknownHallGetsNothing(t *testing.T) {
	n := startNode(t)
	p := startProvince(t, n, 0, buDang)
	p.run(t, controller.Command{Type: controller.CmdNext})
	stranger := startHall(t, n, "kdeadbeef00")
	time.Sleep(1500 * time.Millisecond)
	if s := stranger.Status(); s.Linked || s.Seq != 0 || stranger.engine.Snapshot().State.Seq != 0 {
		t.Errorf("an unknown hall got the province's state: %+v", s)
	}
	vs := p.Venues()
	if len(vs) != 1 || vs[0].ID != buDang.ID || vs[0].Linked || vs[0].Name != buDang.Name {
		t.Errorf("venues %+v, want Bù Đăng not linked", vs)
	}
	h := startHall(t, n, buDang.ID)
	eventually(t, 5*time.Second, "the province lists the hall linked", func() bool {
		vs := p.Venues()
		return len(vs) == 1 && vs[0].Linked && vs[0].Screens == 3 && vs[0].Seq == p.engine.Snapshot().State.Seq
	})
	h.Close()
	eventually(t, LinkTimeout+2*time.Second, "the province shows the hall's link down", func() bool { return !p.Venues()[0].Linked })
}
