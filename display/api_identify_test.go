package display_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// deviceIDs are the ids of the connected devices by name, from the
// devices message an operator gets once every name in want is there.
func deviceIDs(t *testing.T, op *protocoltest.Conn, want ...string) map[string]string {
	t.Helper()
	for {
		var d protocol.DevicesMsg
		op.Until(protocol.TypeDevices).Decode(t, &d)
		ids := map[string]string{}
		for _, dev := range d.Devices {
			ids[dev.Name] = dev.ID
		}
		all := true
		for _, n := range want {
			all = all && ids[n] != ""
		}
		if all {
			return ids
		}
	}
}

func TestIdentifyTellsTheOneScreenNamed(t *testing.T) {
	s := displaytest.Start(t, displaytest.Options{})
	left := protocoltest.Dial(t, s.WSURL, protocoltest.Stage("Máy chiếu trái"))
	right := protocoltest.Dial(t, s.WSURL, protocoltest.Stage("Máy chiếu phải"))
	op := protocoltest.Dial(t, s.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: displaytest.OperatorToken})
	ids := deviceIDs(t, op, "Máy chiếu trái", "Máy chiếu phải", "MC")

	code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/identify", displaytest.OperatorToken, `{"device":"`+ids["Máy chiếu trái"]+`"}`)
	if code != http.StatusOK {
		t.Fatalf("identify: %d %s", code, data)
	}
	var out display.IdentifiedBody
	if err := json.Unmarshal(data, &out); err != nil || out.Name != "Máy chiếu trái" || out.Role != protocol.RoleStage {
		t.Fatalf("answer %s (%v)", data, err)
	}
	var m protocol.IdentifyMsg
	left.Until(protocol.TypeIdentify).Decode(t, &m)
	if m.Name != "Máy chiếu trái" || m.DurationMs != protocol.IdentifyDurationMs {
		t.Fatalf("the left screen got %+v", m)
	}
	// The right screen: everything it gets up to the state of a later
	// command holds no identify.
	if code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/commands", displaytest.OperatorToken, `{"type":"next"}`); code != 200 {
		t.Fatalf("next: %d %s", code, data)
	}
	seq := s.Engine.Snapshot().State.Seq
	for {
		msg := right.Read()
		if msg.Type == protocol.TypeIdentify {
			t.Fatalf("the right screen was told too: %s", msg.Data)
		}
		if msg.Type != protocol.TypeState {
			continue
		}
		var st protocol.StateMsg
		msg.Decode(t, &st)
		if st.State.Seq == seq {
			break
		}
	}
}

func TestIdentifyRefusesBadRequests(t *testing.T) {
	s := displaytest.Start(t, displaytest.Options{})
	btn := s.ButtonKey(t, "nut-1")
	protocoltest.Dial(t, s.WSURL, protocol.HelloMsg{Role: protocol.RoleButton, Name: "Nút 1", Button: "nut-1", Key: btn})
	op := protocoltest.Dial(t, s.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: displaytest.OperatorToken})
	ids := deviceIDs(t, op, "Nút 1")
	for _, tc := range []struct {
		name, token, body string
		status            int
	}{
		{"no credential", "", `{"device":"c1"}`, 401},
		{"a button's key", btn, `{"device":"c1"}`, 403},
		{"no device", displaytest.OperatorToken, `{}`, 400},
		{"an unknown member", displaytest.OperatorToken, `{"device":"c1","all":true}`, 400},
		{"a device not connected", displaytest.OperatorToken, `{"device":"c999"}`, 404},
		{"a button has no screen", displaytest.OperatorToken, `{"device":"` + ids["Nút 1"] + `"}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/identify", tc.token, tc.body); code != tc.status {
				t.Fatalf("%d %s, want %d", code, data, tc.status)
			}
		})
	}
}
