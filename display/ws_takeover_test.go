package display

import (
	"strings"
	"sync"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

// takeoverHubEnv is newHubEnv with HubConfig.Takeover: the engine starts
// as a standby and the hook, which records its actors, takes over.
func takeoverHubEnv(t *testing.T) (*hubEnv, func() []controller.Actor) {
	t.Helper()
	engine, _ := testEngine(t)
	engine.SetPrimary(false)
	var mu sync.Mutex
	var actors []controller.Actor
	hook := func(a controller.Actor) (controller.Result, error) {
		mu.Lock()
		actors = append(actors, a)
		mu.Unlock()
		return engine.Takeover(a)
	}
	env := newHubEnvOn(t, engine, defaultTuning(), func(cfg *HubConfig) { cfg.Takeover = hook })
	return env, func() []controller.Actor {
		mu.Lock()
		defer mu.Unlock()
		return append([]controller.Actor(nil), actors...)
	}
}

func takeoverMsg(ref string, cmd map[string]any) map[string]any {
	return map[string]any{"type": "command", "ref": ref, "command": cmd}
}

// An operator's "takeover" goes to the hook, not the engine's Execute,
// and is answered as a command (its ref echoed, after the new state).
func TestWSTakeover(t *testing.T) {
	env, called := takeoverHubEnv(t)
	op := env.operator()
	before, _ := op.until("state")

	op.send(takeoverMsg("t1", map[string]any{"type": "takeover", "id": "mc-takeover-1"}))
	a, skipped := op.until("answer")
	if a.Ref != "t1" || a.Error != nil || a.Answer == nil || a.Answer.Seq != before.State.Seq+1 {
		t.Fatalf("answer = %+v, want seq %d accepted with ref t1", a, before.State.Seq+1)
	}
	var state *controller.View
	for _, m := range skipped {
		if m.Type == "state" {
			state = m.State
		}
	}
	if state == nil || state.Seq != a.Answer.Seq || state.Epoch != before.State.Epoch+1 {
		t.Fatalf("state before the answer = %+v, want seq %d, epoch %d", state, a.Answer.Seq, before.State.Epoch+1)
	}
	if got := called(); len(got) != 1 || got[0].Role != string(RoleOperator) || got[0].Name != "MC" || got[0].Addr == "" {
		t.Fatalf("hook calls = %+v, want one as the operator MC", got)
	}
	if !env.engine.Primary() {
		t.Fatal("the engine is not the primary after the takeover")
	}

	// Again: the hook says this server is already the primary.
	op.send(takeoverMsg("t2", map[string]any{"type": "takeover"}))
	a, _ = op.until("answer")
	if a.Ref != "t2" || a.Error == nil || a.Error.Code != controller.ECONFLICT || a.Answer.Seq != before.State.Seq+1 {
		t.Fatalf("second takeover = %+v, want conflict with ref t2", a)
	}

	// A takeover carries nothing else.
	op.send(takeoverMsg("t3", map[string]any{"type": "takeover", "segment": "x"}))
	if e, _ := op.until("error"); e.Ref != "t3" || e.Error.Code != controller.EINVALID {
		t.Fatalf("takeover with a segment = %+v, want invalid", e)
	}
	if n := len(called()); n != 2 {
		t.Fatalf("hook called %d times, want 2", n)
	}
}

// A button may only press: its "takeover" never reaches the hook.
func TestWSTakeoverRefusedToButton(t *testing.T) {
	env, called := takeoverHubEnv(t)
	b := env.button("nut-1")
	b.send(takeoverMsg("b1", map[string]any{"type": "takeover"}))
	if e, _ := b.until("error"); e.Ref != "b1" || e.Error.Code != controller.EFORBIDDEN {
		t.Fatalf("button's takeover = %+v, want forbidden with ref b1", e)
	}
	if n := len(called()); n != 0 || env.engine.Primary() {
		t.Fatalf("a button's takeover ran (%d calls, primary %v)", n, env.engine.Primary())
	}
}

// Without a hook (no pair, or a primary), a takeover is a conflict.
func TestWSTakeoverWithoutHook(t *testing.T) {
	env := newHubEnv(t, nil)
	op := env.operator()
	op.send(takeoverMsg("n1", map[string]any{"type": "takeover"}))
	a, _ := op.until("answer")
	if a.Ref != "n1" || a.Error == nil || a.Error.Code != controller.ECONFLICT || !strings.Contains(a.Error.Message, "not a standby") || a.Answer.Seq != env.seq() {
		t.Fatalf("takeover without a hook = %+v, want conflict", a)
	}
}
