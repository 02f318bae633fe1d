package pair_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/pair"
	"github.com/phatdong/phatdong/protocol"
)

func TestATakeoverOnThePrimaryIsRefused(t *testing.T) {
	p := startPrimary(t, t.TempDir())
	defer p.close()
	if _, err := p.pair.Takeover(operator); !errors.Is(err, pair.ErrNotStandby) || controller.ErrorCode(err) != controller.ECONFLICT {
		t.Fatalf("takeover on the primary: %v, want ErrNotStandby (conflict)", err)
	}
}

// TestTakeoverThenTheOldPrimaryStepsDown: the primary dies right after a
// fire; one takeover on the standby makes it the primary one epoch up;
// the press resent to it is answered as before, never fired twice; the
// old primary, restarted, serves alone only until it hears of the higher
// epoch, then follows the new primary.
func TestTakeoverThenTheOldPrimaryStepsDown(t *testing.T) {
	dir := t.TempDir()
	p := startPrimary(t, dir)
	leafPort := p.node.LeafAddr().(*net.TCPAddr).Port
	s := startStandby(t, t.TempDir(), p)
	defer s.close()
	waitInSync(t, p)

	run(t, p, controller.Command{Type: controller.CmdStart})
	run(t, p, controller.Command{Type: controller.CmdArm})
	press := controller.Command{Type: controller.CmdPress, Button: "nut-1", PressID: "p-1"}
	button := controller.Actor{Role: "button", Name: "Nút 1"}
	fired, err := p.engine.Execute(press, button)
	if err != nil || fired.Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("press: %+v %v", fired.Answer, err)
	}
	p.close() // the primary dies

	res, err := s.pair.Takeover(controller.Actor{Role: "operator", Name: "MC dự phòng"})
	if err != nil {
		t.Fatalf("takeover: %v", err)
	}
	st := res.Snapshot.State
	if st.Epoch != 1 || st.Seq != fired.Answer.Seq+1 || !s.engine.Primary() || s.pair.Standby() {
		t.Fatalf("after the takeover: epoch %d seq %d primary %v; want epoch 1 at seq %d", st.Epoch, st.Seq, s.engine.Primary(), fired.Answer.Seq+1)
	}
	if st.Launch.FireID != fired.Snapshot.State.Launch.FireID {
		t.Fatalf("the fire became %q, was %q", st.Launch.FireID, fired.Snapshot.State.Launch.FireID)
	}
	// The button's agent resends the press in flight: answered as before.
	again, err := s.engine.Execute(press, button)
	if err != nil || again.Answer != fired.Answer || again.Snapshot.State.Launch.FireID != fired.Snapshot.State.Launch.FireID {
		t.Fatalf("the press resent to the new primary: %+v %v; want the first answer %+v", again.Answer, err, fired.Answer)
	}
	run(t, s, controller.Command{Type: controller.CmdNext})
	// Its operators and devices still know the pair, broken.
	if st := s.pair.Status(); st == nil || st.Role != protocol.RolePrimary || st.Epoch != 1 || st.Connected || st.InSync || st.Peer != "http://primary-1" {
		t.Fatalf("the new primary's pair before the old one is back: %+v", st)
	}
	if sv := s.pair.Servers(); len(sv) != 2 || sv[0].Role != protocol.RolePrimary || sv[0].Epoch != 1 || sv[1].URLs[0] != "http://primary-1" {
		t.Fatalf("the new primary lists %+v, want itself then the old primary", sv)
	}

	// The old primary restarts on its own, alone at epoch 0...
	old := startServer(t, openOn(t, dir, "", leafPort), "primary-1", false)
	defer old.close()
	// ...until it hears of epoch 1: it steps down and follows.
	eventually(t, 15*time.Second, "the old primary stepping down", func() bool { return old.pair.Standby() && !old.engine.Primary() })
	waitInSync(t, s)
	sameState(t, s, old)
	if got := old.engine.Snapshot().State; got.Epoch != 1 {
		t.Fatalf("the old primary follows at epoch %d, want 1", got.Epoch)
	}
	if _, err := old.engine.Execute(controller.Command{Type: controller.CmdPrevious}, operator); controller.ErrorCode(err) != controller.ENOTPRIMARY {
		t.Fatalf("a command on the old primary: %v, want %s", err, controller.ENOTPRIMARY)
	}
	eventually(t, 5*time.Second, "both servers showing the new pair", func() bool {
		a, b := s.pair.Status(), old.pair.Status()
		return a != nil && b != nil && a.Role == protocol.RolePrimary && b.Role == protocol.RoleStandby && a.Epoch == 1 && b.Epoch == 1 && a.InSync && b.InSync
	})
}
