package display

import (
	"slices"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

// refusedHello dials, says hello and returns the error it is answered.
func (env *hubEnv) refusedHello(hello protocol.HelloMsg) *controller.Error {
	env.t.Helper()
	p := env.dial(nil)
	hello.Type = protocol.TypeHello
	p.send(hello)
	m := p.read()
	if m.Type != "error" || m.Error == nil {
		env.t.Fatalf("hello %+v answered %+v, want an error", hello, m)
	}
	return m.Error
}

// credentialOf is the id of the live credential of a button.
func (env *hubEnv) credentialOf(button string) string {
	env.t.Helper()
	for _, c := range env.auth.Registry().List() {
		if c.Button == button && c.Live() {
			return c.ID
		}
	}
	env.t.Fatalf("no credential for %s", button)
	return ""
}

func TestRevokingClosesTheSocketsAtOnce(t *testing.T) {
	env := newHubEnv(t, nil)
	b1, b2 := env.button("nut-1"), env.button("nut-2")
	_, opSecret, err := env.auth.Registry().Create(access.KindOperator, "iPad dự phòng", "")
	if err != nil {
		t.Fatal(err)
	}
	tablet := env.join(protocol.HelloMsg{Role: RoleOperator, Name: "iPad", Token: opSecret})
	admin := env.operator()

	if _, err := env.auth.Registry().Revoke(env.credentialOf("nut-1")); err != nil {
		t.Fatal(err)
	}
	if code := b1.closeCode(); code != websocket.ClosePolicyViolation {
		t.Fatalf("the revoked button's socket closed with %d, want %d", code, websocket.ClosePolicyViolation)
	}
	// Nobody else is touched: the other button is still heard.
	b2.send(map[string]any{"type": "press", "ref": "r1", "pressId": "x1"})
	if a, _ := b2.until("answer"); a.Error == nil || a.Error.Code != controller.ENOTARMED {
		t.Fatalf("the other button's press = %+v, want not_armed", a)
	}
	for _, c := range env.auth.Registry().List() {
		if c.Kind == access.KindOperator && !c.Admin {
			if _, err := env.auth.Registry().Revoke(c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if code := tablet.closeCode(); code != websocket.ClosePolicyViolation {
		t.Fatalf("the revoked tablet's socket closed with %d", code)
	}
	// The administrator's list loses both.
	for {
		m, _ := admin.until("devices")
		if !slices.ContainsFunc(m.Devices, func(d Device) bool { return d.Button == "nut-1" || d.Name == "iPad" }) {
			break
		}
	}
	// The revoked key opens no more.
	if e := env.refusedHello(protocol.HelloMsg{Role: RoleButton, Button: "nut-1", Key: env.keys["nut-1"]}); e.Code != EUNAUTHORIZED {
		t.Fatalf("a hello with a revoked key: %+v", e)
	}
}

func TestAButtonsKeyPressesOnlyAsItsButton(t *testing.T) {
	env := newHubEnv(t, nil)
	key := env.buttonKey("nut-1")
	if e := env.refusedHello(protocol.HelloMsg{Role: RoleButton, Button: "nut-2", Key: key}); e.Code != controller.EFORBIDDEN {
		t.Fatalf("a key claiming another button: %+v", e)
	}
	_, opSecret, err := env.auth.Registry().Create(access.KindOperator, "iPad", "")
	if err != nil {
		t.Fatal(err)
	}
	if e := env.refusedHello(protocol.HelloMsg{Role: RoleButton, Button: "nut-1", Key: opSecret}); e.Code != controller.EFORBIDDEN {
		t.Fatalf("an operator's credential as a button key: %+v", e)
	}
	if e := env.refusedHello(protocol.HelloMsg{Role: RoleOperator, Token: key}); e.Code != controller.EFORBIDDEN {
		t.Fatalf("a button's key as an operator token: %+v", e)
	}
	// Without a button id the key names it.
	p := env.join(protocol.HelloMsg{Role: RoleButton, Name: "Bục phát biểu", Key: key})
	env.exec(controller.Command{Type: controller.CmdArm})
	p.send(map[string]any{"type": "press", "ref": "r", "pressId": "x"})
	if a, _ := p.until("answer"); a.Error != nil || a.Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("press = %+v", a)
	}
	if src := env.engine.Snapshot().State.Launch.Source; src != "button:nut-1" {
		t.Fatalf("fired by %q, want button:nut-1", src)
	}
}

// TestSharedKeyCountsOnceOnTheSocket: two sockets with the shared key,
// claiming two buttons, count as one; the operators are warned until the
// key is revoked.
func TestSharedKeyCountsOnceOnTheSocket(t *testing.T) {
	env := newHubEnv(t, nil)
	show := env.engine.Snapshot().Show.Clone()
	show.Launch.RequiredPresses = 2
	if _, err := env.engine.ReplaceShow(show, true, controller.Actor{Role: "api"}); err != nil {
		t.Fatal(err)
	}
	admin := env.operator()
	s1, s2 := env.sharedButton("nut-1"), env.sharedButton("nut-2")
	env.exec(controller.Command{Type: controller.CmdArm})
	s1.send(map[string]any{"type": "press", "ref": "a", "pressId": "x1"})
	if a, _ := s1.until("answer"); a.Error != nil || a.Answer.Outcome != controller.OutcomeCounted {
		t.Fatalf("first shared press = %+v", a)
	}
	s2.send(map[string]any{"type": "press", "ref": "b", "pressId": "x2"})
	if a, _ := s2.until("answer"); a.Error == nil || a.Error.Code != controller.EDUPLICATE {
		t.Fatalf("second shared press = %+v, want duplicate", a)
	}
	if m, _ := admin.until("devices"); len(m.Warnings) != 1 || m.Warnings[0].Code != protocol.WarnSharedButtonKey {
		t.Fatalf("the operator's warnings: %+v", m.Warnings)
	}
	if _, err := env.auth.Registry().Revoke(access.SharedID); err != nil {
		t.Fatal(err)
	}
	if s1.closeCode() != websocket.ClosePolicyViolation || s2.closeCode() != websocket.ClosePolicyViolation {
		t.Fatal("the shared key's sockets were not closed")
	}
	for {
		if m, _ := admin.until("devices"); len(m.Warnings) == 0 && len(m.Devices) == 1 {
			break
		}
	}
}
