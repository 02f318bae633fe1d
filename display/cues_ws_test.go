package display_test

import (
	"sync"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// The fire on the operators' devices message carries how its cues went
// (Config.Cues, asked for that fire), and CuesChanged brings them a
// change; before any fire nothing is asked.
func TestDevicesCarryTheFiresCueOutcomes(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	state := protocol.CuePending
	outcomes := func(fireID string) []protocol.CueOutcome {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, fireID)
		return []protocol.CueOutcome{{Index: 0, Kind: "osc", Target: "10.0.0.5:8000", Address: "/lights/go", DueAt: 1744600123456, State: state}}
	}
	srv := displaytest.Start(t, displaytest.Options{Cues: outcomes})
	op := protocoltest.Dial(t, srv.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: displaytest.OperatorToken})
	var m protocol.DevicesMsg
	op.Until(protocol.TypeDevices).Decode(t, &m)
	mu.Lock()
	if m.Fire != nil || len(asked) != 0 {
		t.Fatalf("before any fire: fire %+v, cues asked for %q", m.Fire, asked)
	}
	mu.Unlock()

	actor := controller.Actor{Role: "api", Name: "test"}
	for _, c := range []controller.Command{{Type: controller.CmdArm}, {Type: controller.CmdFire}} {
		if _, err := srv.Engine.Execute(c, actor); err != nil {
			t.Fatalf("%s: %v", c.Type, err)
		}
	}
	fireID := srv.Engine.Snapshot().State.Launch.FireID
	until := func(want string) {
		t.Helper()
		for {
			var m protocol.DevicesMsg
			op.Until(protocol.TypeDevices).Decode(t, &m)
			if m.Fire == nil || m.Fire.FireID != fireID || len(m.Fire.Cues) != 1 || m.Fire.Cues[0].State != want {
				continue // a list from before
			}
			if c := m.Fire.Cues[0]; c.Target != "10.0.0.5:8000" || c.Address != "/lights/go" || c.DueAt != 1744600123456 {
				t.Fatalf("cue outcome %+v", c)
			}
			return
		}
	}
	until(protocol.CuePending)
	mu.Lock()
	state = protocol.CueSent
	mu.Unlock()
	srv.Display.CuesChanged()
	until(protocol.CueSent)
	mu.Lock()
	defer mu.Unlock()
	for _, id := range asked {
		if id != fireID {
			t.Errorf("cues asked for fire %q, want only %q", id, fireID)
		}
	}
}
