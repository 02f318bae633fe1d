package display_test

import (
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// The operators' devices message carries the pair from Config.Pair, and
// PairChanged brings them the new one with its warning; /healthz shows it.
func TestDevicesCarryThePair(t *testing.T) {
	var cur atomic.Pointer[protocol.Pair]
	inSync := protocol.Pair{Role: protocol.RolePrimary, Epoch: 3, Peer: "10.0.0.12", Connected: true, LastContact: 1744600000000, InSync: true, Seq: 57, PeerSeq: 57}
	cur.Store(&inSync)
	srv := displaytest.Start(t, displaytest.Options{Pair: cur.Load})
	op := protocoltest.Dial(t, srv.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: displaytest.OperatorToken})

	var m protocol.DevicesMsg
	op.Until(protocol.TypeDevices).Decode(t, &m)
	if m.Pair == nil || *m.Pair != inSync {
		t.Fatalf("devices message pair %+v, want %+v", m.Pair, inSync)
	}
	if len(m.Warnings) != 0 {
		t.Fatalf("warnings %+v with the pair in sync", m.Warnings)
	}
	if h := health(t, srv.URL); h.Pair == nil || *h.Pair != inSync {
		t.Fatalf("/healthz pair %+v, want %+v", h.Pair, inSync)
	}

	outOfSync := inSync
	outOfSync.InSync, outOfSync.Seq, outOfSync.LagCommands, outOfSync.Unsynced = false, 60, 3, 3
	cur.Store(&outOfSync)
	srv.Display.PairChanged()
	for {
		var m protocol.DevicesMsg
		op.Until(protocol.TypeDevices).Decode(t, &m)
		if m.Pair == nil || *m.Pair != outOfSync {
			continue // a list sent before the change
		}
		if len(m.Warnings) != 1 || m.Warnings[0].Code != protocol.WarnStandbyOutOfSync {
			t.Fatalf("warnings %+v, want one %s", m.Warnings, protocol.WarnStandbyOutOfSync)
		}
		break
	}
}

// Without Config.Pair neither the devices message nor /healthz has one.
func TestNoPairNoField(t *testing.T) {
	srv := displaytest.Start(t, displaytest.Options{})
	op := protocoltest.Dial(t, srv.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Name: "MC", Token: displaytest.OperatorToken})
	var m map[string]json.RawMessage
	op.Until(protocol.TypeDevices).Decode(t, &m)
	if _, ok := m["pair"]; ok {
		t.Errorf("devices message has a pair: %s", m["pair"])
	}
	if h := health(t, srv.URL); h.Pair != nil {
		t.Errorf("/healthz has a pair: %+v", h.Pair)
	}
	srv.Display.PairChanged() // harmless without a pair
}

// health reads /healthz.
func health(t *testing.T, url string) struct{ Pair *protocol.Pair } {
	t.Helper()
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d %s %v", resp.StatusCode, data, err)
	}
	var h struct{ Pair *protocol.Pair }
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatalf("/healthz %s: %v", data, err)
	}
	return h
}
