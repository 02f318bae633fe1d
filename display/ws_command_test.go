package display

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

func TestStateOnEveryChange(t *testing.T) {
	env := newHubEnv(t, nil)
	p := env.screen("a")
	first, _ := p.until("state")
	env.exec(controller.Command{Type: controller.CmdStart})
	env.exec(controller.Command{Type: controller.CmdAddTime, Seconds: 60})
	env.exec(controller.Command{Type: controller.CmdMessage, Text: "Còn 2 phút"})
	prev := first.State.Seq
	for i := range 3 {
		m := p.read()
		if m.Type != "state" || m.State.Seq != prev+1 || m.ServerTime < first.ServerTime {
			t.Fatalf("message %d = %+v, want the state at seq %d", i, m, prev+1)
		}
		prev = m.State.Seq
	}
}

func TestOperatorCommands(t *testing.T) {
	env := newHubEnv(t, nil)
	op := env.operator()
	before, _ := op.until("state")

	op.send(map[string]any{"type": "command", "ref": "r1", "command": map[string]any{"type": "next", "id": "mc-1"}})
	a, skipped := op.until("answer")
	skipped = without(skipped, "devices")
	if a.Ref != "r1" || a.Error != nil || a.Answer.Seq != before.State.Seq+1 {
		t.Fatalf("answer = %+v, want seq %d accepted", a, before.State.Seq+1)
	}
	// The state the command produced comes before its answer.
	if len(skipped) != 1 || skipped[0].Type != "state" || skipped[0].State.Seq != a.Answer.Seq || skipped[0].State.Current.Index != 1 {
		t.Fatalf("before the answer: %+v, want the new state", skipped)
	}

	op.send(map[string]any{"type": "command", "ref": "r2", "command": map[string]any{"type": "goto", "segment": "no-such-segment"}})
	a, _ = op.until("answer")
	if a.Ref != "r2" || a.Error == nil || a.Error.Code != controller.ENOTFOUND || a.Answer.Error == nil {
		t.Fatalf("refused answer = %+v", a)
	}

	op.send(map[string]any{"type": "command", "ref": "r3", "command": map[string]any{"type": "add-time", "secs": 60}})
	e := op.read()
	if e.Type != "error" || e.Ref != "r3" || e.Error.Code != controller.EINVALID {
		t.Fatalf("unknown command field: got %+v, want an invalid error", e)
	}
	op.send(map[string]any{"type": "command", "ref": "r4"})
	if e := op.read(); e.Type != "error" || e.Error.Code != controller.EINVALID {
		t.Fatalf("command without a body: got %+v", e)
	}
	if got := env.seq(); got != before.State.Seq+1 {
		t.Fatalf("seq = %d, want %d: a refused command changed the state", got, before.State.Seq+1)
	}
}

func TestButtonPresses(t *testing.T) {
	env := newHubEnv(t, nil)
	// Two leaders must press: the first press is counted, the second fires.
	show := env.engine.Snapshot().Show.Clone()
	show.Launch.RequiredPresses = 2
	if _, err := env.engine.ReplaceShow(show, true, controller.Actor{Role: "api"}); err != nil {
		t.Fatal(err)
	}
	b1, b2 := env.button("nut-1"), env.button("nut-2")

	b1.send(map[string]any{"type": "press", "ref": "p0", "pressId": "x0"})
	if a, _ := b1.until("answer"); a.Error == nil || a.Error.Code != controller.ENOTARMED {
		t.Fatalf("press while idle = %+v, want not_armed", a)
	}
	env.exec(controller.Command{Type: controller.CmdArm})

	b1.send(map[string]any{"type": "press", "ref": "p1", "pressId": "x1", "pressedAt": 1})
	if a, _ := b1.until("answer"); a.Error != nil || a.Answer.Outcome != controller.OutcomeCounted {
		t.Fatalf("first press = %+v, want counted", a)
	}
	b1.send(map[string]any{"type": "press", "ref": "p2", "pressId": "x2"})
	if a, _ := b1.until("answer"); a.Error == nil || a.Error.Code != controller.EDUPLICATE {
		t.Fatalf("same button again = %+v, want duplicate", a)
	}
	b2.send(map[string]any{"type": "press", "ref": "q1", "pressId": "y1"})
	a, _ := b2.until("answer")
	if a.Error != nil || a.Answer.Outcome != controller.OutcomeFired || a.Ref != "q1" {
		t.Fatalf("second button = %+v, want fired", a)
	}
	seq := env.seq()
	b2.send(map[string]any{"type": "press", "ref": "q2", "pressId": "y1"})
	if r, _ := b2.until("answer"); r.Answer.Outcome != controller.OutcomeFired || r.Answer.Seq != a.Answer.Seq {
		t.Fatalf("retried press = %+v, want the first answer again", r)
	}
	b1.send(map[string]any{"type": "press", "ref": "p3", "pressId": "x3"})
	if a, _ := b1.until("answer"); a.Error == nil || a.Error.Code != controller.EDUPLICATE {
		t.Fatalf("press after the fire = %+v, want duplicate", a)
	}
	if env.seq() != seq {
		t.Fatal("a refused press changed the state")
	}
	st := env.engine.Snapshot().State
	if st.Launch.Phase != controller.LaunchFired || st.Launch.Source != "button:nut-2" || len(st.Launch.Presses) != 2 || st.Launch.Presses[0].Name != "Nút nut-1" {
		t.Fatalf("launch = %+v", st.Launch)
	}
	b1.send(map[string]any{"type": "press", "ref": "p4"})
	if e, _ := b1.until("error"); e.Error.Code != controller.EINVALID || e.Ref != "p4" {
		t.Fatalf("press without id = %+v", e)
	}
}

func TestOnlyTheRightRoleMaySend(t *testing.T) {
	env := newHubEnv(t, nil)
	seq := env.seq()
	env.exec(controller.Command{Type: controller.CmdArm})
	stage := env.join(protocol.HelloMsg{Role: RolePresenter})
	b := env.button("nut-1")
	cases := []struct {
		p   *peer
		raw string
	}{
		{stage, `{"type":"command","ref":"s1","command":{"type":"next"}}`},
		{stage, `{"type":"press","ref":"s2","pressId":"z"}`},
		{b, `{"type":"command","ref":"b1","command":{"type":"fire"}}`},
	}
	for _, tc := range cases {
		tc.p.sendRaw(tc.raw)
		if e, _ := tc.p.until("error"); e.Error.Code != controller.EFORBIDDEN {
			t.Fatalf("%s: got %+v, want forbidden", tc.raw, e)
		}
	}
	if got := env.seq(); got != seq+1 {
		t.Fatalf("seq = %d, want %d", got, seq+1)
	}
}

// without drops the messages of type typ.
func without(ms []msg, typ string) []msg {
	var out []msg
	for _, m := range ms {
		if m.Type != typ {
			out = append(out, m)
		}
	}
	return out
}

// TestPressLengthsOnTheSocket: the socket takes the same lengths as
// POST /api/v1/press (TestPressLengths).
func TestPressLengthsOnTheSocket(t *testing.T) {
	env := newHubEnv(t, nil)
	long := env.dial(nil)
	long.send(protocol.HelloMsg{Type: protocol.TypeHello, Role: RoleButton, Button: strings.Repeat("b", 65), Key: testKey})
	if m := long.read(); m.Type != "error" || m.Error.Field != "button" {
		t.Fatalf("hello of a 65-character button: %+v", m)
	}
	b := env.button(strings.Repeat("ă", 64))
	env.exec(controller.Command{Type: controller.CmdArm})
	b.send(map[string]any{"type": "press", "ref": "long", "pressId": strings.Repeat("p", 129)})
	if m, _ := b.until("answer"); m.Ref != "long" || m.Error == nil || m.Error.Field != "pressId" {
		t.Fatalf("129-character press id: %+v", m)
	}
	b.send(map[string]any{"type": "press", "ref": "p1", "pressId": strings.Repeat("ư", 128)})
	if m, _ := b.until("answer"); m.Ref != "p1" || m.Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("128-character press id: %+v", m)
	}
}
