package display

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// hashOf is a well-formed media hash made of one repeated hex digit.
func hashOf(digit string) string { return strings.Repeat(digit, 64) }

// mediaOf is the readiness the device list holds for the screen named.
func mediaOf(env *hubEnv, name string) []protocol.MediaReadiness {
	for _, d := range env.hub.Devices() {
		if d.Name == name {
			return d.Media
		}
	}
	return nil
}

// A stage screen's media readiness reaches the operators' device list,
// the latest per hash; a fourth hash drops the least recently reported.
func TestMediaReport(t *testing.T) {
	env := newHubEnv(t, func(tu *tuning) { tu.devicesFast, tu.devicesSlow = 20*time.Millisecond, 40*time.Millisecond })
	op := env.operator()
	stage := env.screen("LED chính")
	if m := mediaOf(env, "LED chính"); m != nil {
		t.Fatalf("media before any report: %+v", m)
	}
	film := hashOf("a")
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": film, "state": "loading", "progress": 0.64}})
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": film, "state": "ready", "progress": 1, "durationMs": 512000}})
	want := protocol.MediaReadiness{Hash: film, State: protocol.MediaReady, Progress: 1, DurationMs: 512000}
	// The operator's devices message carries it.
	for {
		m, _ := op.until("devices")
		var got []protocol.MediaReadiness
		for _, d := range m.Devices {
			if d.Name == "LED chính" {
				got = d.Media
			}
		}
		if len(got) == 1 && got[0] == want {
			break
		}
		if len(got) > 1 {
			t.Fatalf("two entries for one hash: %+v", got)
		}
	}

	// Three more hashes: the first one reported (film) is dropped; a
	// report again for an old hash makes it the most recent.
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": hashOf("b"), "state": "loading", "progress": 0.1}})
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": hashOf("c"), "state": "error", "progress": 0, "error": "không giải mã được"}})
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": hashOf("b"), "state": "loading", "progress": 0.5}})
	stage.send(map[string]any{"type": "report", "media": map[string]any{"hash": hashOf("d"), "state": "ready", "progress": 1}})
	eventually(t, "four hashes kept as three", func() bool {
		m := mediaOf(env, "LED chính")
		return len(m) == 3 && m[2].Hash == hashOf("d")
	})
	got := mediaOf(env, "LED chính")
	if got[0].Hash != hashOf("c") || got[0].Error != "không giải mã được" || got[1].Hash != hashOf("b") || got[1].Progress != 0.5 {
		t.Fatalf("kept %+v, want c (error), b (0.5), d", got)
	}
}

// Bad readiness reports are refused like any bad report and change
// nothing; only a stage screen reports readiness.
func TestMediaReportRefused(t *testing.T) {
	env := newHubEnv(t, nil)
	stage := env.screen("LED trái")
	good := map[string]any{"hash": hashOf("0"), "state": "ready", "progress": 1}
	stage.send(map[string]any{"type": "report", "media": good})
	eventually(t, "the good report", func() bool { return len(mediaOf(env, "LED trái")) == 1 })

	for _, tc := range []struct {
		name   string
		report map[string]any
		field  string
	}{
		{"short hash", map[string]any{"media": map[string]any{"hash": "abc", "state": "ready", "progress": 1}}, "media.hash"},
		{"upper-case hash", map[string]any{"media": map[string]any{"hash": strings.Repeat("A", 64), "state": "ready", "progress": 1}}, "media.hash"},
		{"not hex", map[string]any{"media": map[string]any{"hash": strings.Repeat("g", 64), "state": "ready", "progress": 1}}, "media.hash"},
		{"unknown state", map[string]any{"media": map[string]any{"hash": hashOf("1"), "state": "playing", "progress": 1}}, "media.state"},
		{"no state", map[string]any{"media": map[string]any{"hash": hashOf("1"), "progress": 1}}, "media.state"},
		{"progress above 1", map[string]any{"media": map[string]any{"hash": hashOf("1"), "state": "loading", "progress": 1.5}}, "media.progress"},
		{"negative progress", map[string]any{"media": map[string]any{"hash": hashOf("1"), "state": "loading", "progress": -0.1}}, "media.progress"},
		{"negative duration", map[string]any{"media": map[string]any{"hash": hashOf("1"), "state": "ready", "progress": 1, "durationMs": -5}}, "media.durationMs"},
		{"control characters", map[string]any{"media": map[string]any{"hash": hashOf("1"), "state": "error", "progress": 0, "error": "a\x00b"}}, "media.error"},
		{"with a fire", map[string]any{"fireId": "f1", "startedAt": 1.0, "media": map[string]any{"hash": hashOf("1"), "state": "ready", "progress": 1}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.report["type"] = "report"
			stage.send(tc.report)
			m, _ := stage.until("error")
			if m.Error.Code != controller.EINVALID || m.Error.Field != tc.field {
				t.Fatalf("got %+v, want %s on %q", m.Error, controller.EINVALID, tc.field)
			}
		})
	}
	presenter := env.join(protocol.HelloMsg{Role: RolePresenter, Name: "Bục"})
	presenter.send(map[string]any{"type": "report", "media": good})
	if m, _ := presenter.until("error"); m.Error.Code != controller.EFORBIDDEN {
		t.Fatalf("a presenter's readiness: %+v, want %s", m.Error, controller.EFORBIDDEN)
	}
	if got := mediaOf(env, "LED trái"); len(got) != 1 || got[0].Hash != hashOf("0") {
		t.Fatalf("refused reports changed the readiness to %+v", got)
	}
	if got := mediaOf(env, "Bục"); got != nil {
		t.Fatalf("a presenter's refused report was kept: %+v", got)
	}
}
