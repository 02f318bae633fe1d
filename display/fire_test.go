package display

import (
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

func TestFireEventBeforeItsState(t *testing.T) {
	env := newHubEnv(t, nil)
	peers := []*peer{
		env.screen("LED"),
		env.join(protocol.HelloMsg{Role: RolePresenter}),
		env.join(protocol.HelloMsg{Role: RoleMonitor}),
		env.operator(),
	}
	b := env.button("nut-1")
	env.exec(controller.Command{Type: controller.CmdArm})
	b.send(map[string]any{"type": "press", "ref": "p1", "pressId": "1"})
	peers = append(peers, b)
	caption := env.engine.Snapshot().Show.Launch.Caption
	var launch controller.Launch
	for i, p := range peers {
		fire, before := p.until("fire")
		if i == 0 {
			launch = env.engine.Snapshot().State.Launch
		}
		for _, m := range before {
			if m.Type == "state" && m.State.Launch.Phase == controller.LaunchFired {
				t.Fatalf("peer %d: a fired state came before the fire event", i)
			}
		}
		if fire.FireID != launch.FireID || fire.FireAt != launch.FireAt || fire.Caption != caption || fire.FireAt <= 0 {
			t.Fatalf("peer %d: fire = %+v, want %+v", i, fire, launch)
		}
		next, _ := p.until("state")
		if next.State.Launch.FireID != fire.FireID {
			t.Fatalf("peer %d: the state after the fire is %+v", i, next.State.Launch)
		}
	}
}

func TestFireReportsMakeASpread(t *testing.T) {
	env := newHubEnv(t, nil)
	screens := []*peer{env.screen("a"), env.screen("b"), env.screen("c")}
	env.exec(controller.Command{Type: controller.CmdArm})
	env.exec(controller.Command{Type: controller.CmdFire})
	launch := env.engine.Snapshot().State.Launch
	for _, p := range screens {
		p.until("fire")
	}
	late := env.screen("late") // connected after the fire event went out
	at := float64(launch.FireAt)

	screens[0].send(map[string]any{"type": "report", "offset": -10003.2, "rtt": 4.1, "uncertainty": 2.3, "fireId": launch.FireID, "startedAt": at + 1.5})
	screens[1].send(map[string]any{"type": "report", "fireId": launch.FireID, "startedAt": at + 4})
	screens[2].send(map[string]any{"type": "report", "fireId": launch.FireID, "startedAt": at - 0.5})
	late.send(map[string]any{"type": "report", "fireId": launch.FireID, "startedAt": at + 2500})
	eventually(t, "four reports", func() bool {
		f := env.hub.Fires()
		return len(f) == 1 && len(f[0].Devices) == 4
	})
	f := env.hub.Fires()[0]
	if f.FireID != launch.FireID || f.Reports != 3 || f.Late != 1 || f.EarliestMs != -0.5 || f.LatestMs != 4 || f.SpreadMs != 4.5 || f.Sockets != 3 {
		t.Fatalf("spread = %+v", f.FireSummary)
	}
	var r FireReport
	for _, d := range f.Devices {
		if d.Name == "a" {
			r = d
		}
	}
	if r.Name != "a" || r.LateMs != 1.5 || r.OffsetMs == nil || *r.OffsetMs != -10003.2 || r.JoinedLate {
		t.Fatalf("first report = %+v", r)
	}

	for _, tc := range []struct {
		report map[string]any
		code   string
	}{
		{map[string]any{"fireId": launch.FireID, "startedAt": at}, controller.EDUPLICATE},
		{map[string]any{"fireId": "f999", "startedAt": at}, controller.ENOTFOUND},
		{map[string]any{"fireId": launch.FireID}, controller.EINVALID},
		{map[string]any{"fireId": launch.FireID, "startedAt": at + 7*3600*1000}, controller.EINVALID},
		{map[string]any{"offset": 1, "rtt": -1, "uncertainty": 1}, controller.EINVALID},
		{map[string]any{"offset": 1}, controller.EINVALID},
		{map[string]any{}, controller.EINVALID},
	} {
		tc.report["type"] = "report"
		screens[0].send(tc.report)
		if m, _ := screens[0].until("error"); m.Error.Code != tc.code {
			t.Fatalf("report %v: got %+v, want %s", tc.report, m.Error, tc.code)
		}
	}
	if n := len(env.hub.Fires()[0].Devices); n != 4 {
		t.Fatalf("%d reports after refused ones, want 4", n)
	}
}

func TestFireBeforeStartIsKnown(t *testing.T) {
	env := newHubEnv(t, nil)
	env.exec(controller.Command{Type: controller.CmdArm})
	env.exec(controller.Command{Type: controller.CmdFire})
	launch := env.engine.Snapshot().State.Launch
	// A second hub, as after a restart: it learns of the fire from its
	// first snapshot and sends no fire event, but accepts reports.
	h := newHub(HubConfig{Engine: env.engine, Auth: env.auth, Log: quietLog()}, defaultTuning())
	defer h.Close()
	env.engine.Subscribe(h)
	eventually(t, "the fire to be known", func() bool { return len(h.Fires()) == 1 })
	if f := h.Fires()[0]; f.FireID != launch.FireID || f.Sockets != 0 {
		t.Fatalf("fire = %+v", f)
	}
}
