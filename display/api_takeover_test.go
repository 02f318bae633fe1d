package display_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
)

// takeoverFixture is a server whose Config.Takeover is hook, which sees
// the fixture (its engine) and records every actor it was called with.
type takeoverFixture struct {
	fixture
	mu     sync.Mutex
	actors []controller.Actor
}

func (f *takeoverFixture) called() []controller.Actor {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]controller.Actor(nil), f.actors...)
}

// newTakeoverFixture builds the server; standby starts its engine as a
// standby; hook (nil: no Config.Takeover) is recorded before it runs.
func newTakeoverFixture(t *testing.T, standby bool, hook func(*takeoverFixture, controller.Actor) (controller.Result, error)) *takeoverFixture {
	t.Helper()
	f := &takeoverFixture{}
	f.fixture = newPairFixture(t, standby, func(cfg *display.Config) {
		if hook == nil {
			return
		}
		cfg.Takeover = func(a controller.Actor) (controller.Result, error) {
			f.mu.Lock()
			f.actors = append(f.actors, a)
			f.mu.Unlock()
			return hook(f, a)
		}
	})
	return f
}

// newPairFixture is newFixture whose engine is a standby's when standby
// is set, its Config changed by change.
func newPairFixture(t *testing.T, standby bool, change func(*display.Config)) fixture {
	t.Helper()
	f := newFixtureWith(t, io.Discard, change)
	f.engine.SetPrimary(!standby)
	return *f
}

// engineTakeover is the hook of a real standby, less the pair's drain.
func engineTakeover(f *takeoverFixture, a controller.Actor) (controller.Result, error) {
	return f.engine.Takeover(a)
}

func TestTakeoverAPI(t *testing.T) {
	tests := []struct {
		name    string
		standby bool
		hook    func(*takeoverFixture, controller.Actor) (controller.Result, error)
		token   string // "op" the operator's own token, "btn" a button's key, else as is
		body    string
		status  int
		code    string
		inMsg   string
		calls   int
	}{
		{name: "operator, empty body", standby: true, hook: engineTakeover, token: "op", status: 200, calls: 1},
		{name: "operator, {}", standby: true, hook: engineTakeover, token: "op", body: `{}`, status: 200, calls: 1},
		{name: "administrator", standby: true, hook: engineTakeover, token: opToken, body: `{}`, status: 200, calls: 1},
		{name: "button key", standby: true, hook: engineTakeover, token: "btn", status: 403, code: "forbidden"},
		{name: "shared button key", standby: true, hook: engineTakeover, token: buttonKey, status: 403, code: "forbidden"},
		{name: "no token", standby: true, hook: engineTakeover, status: 401, code: "unauthorized"},
		{name: "not a standby (no hook)", token: "op", status: 409, code: "conflict", inMsg: "not a standby"},
		{name: "already the primary", hook: engineTakeover, token: "op", status: 409, code: "conflict", inMsg: "already the primary", calls: 1},
		{name: "body too large", standby: true, hook: engineTakeover, token: "op", body: `{"x":"` + strings.Repeat("a", 300) + `"}`, status: 413, code: "too_large"},
		{name: "unknown member", standby: true, hook: engineTakeover, token: "op", body: `{"epoch":9}`, status: 400, code: "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTakeoverFixture(t, tt.standby, tt.hook)
			reg := f.srv.Auth().Registry()
			token := tt.token
			switch token {
			case "op":
				_, secret, err := reg.Create(access.KindOperator, "Máy tính bảng MC", "")
				if err != nil {
					t.Fatal(err)
				}
				token = secret
			case "btn":
				_, secret, err := reg.Create(access.KindButton, "Nút 1", "nut-1")
				if err != nil {
					t.Fatal(err)
				}
				token = secret
			}
			before := f.engine.Snapshot().State
			rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/takeover", token: token, body: tt.body})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			calls := f.called()
			if len(calls) != tt.calls {
				t.Fatalf("hook called %d times, want %d", len(calls), tt.calls)
			}
			if tt.status != http.StatusOK {
				e := errorOf(t, rec)
				if e.Code != tt.code || !strings.Contains(e.Message, tt.inMsg) {
					t.Fatalf("error %+v, want %s containing %q", e, tt.code, tt.inMsg)
				}
				if after := f.engine.Snapshot().State; after.Seq != before.Seq || after.Epoch != before.Epoch {
					t.Fatalf("a refused takeover changed the state: seq %d→%d, epoch %d→%d", before.Seq, after.Seq, before.Epoch, after.Epoch)
				}
				return
			}
			body := decode[display.StateBody](t, rec)
			if body.Answer == nil || body.Answer.Seq != before.Seq+1 || body.Answer.Epoch != before.Epoch+1 || body.State.Seq != before.Seq+1 || body.State.Epoch != before.Epoch+1 {
				t.Fatalf("answer %+v, state seq %d epoch %d; want seq %d epoch %d", body.Answer, body.State.Seq, body.State.Epoch, before.Seq+1, before.Epoch+1)
			}
			if a := calls[0]; a.Role != "api" || a.Addr != "192.0.2.1" || a.Name == "" {
				t.Fatalf("hook's actor = %+v, want the operator's credential from 192.0.2.1", a)
			}
			if tt.token == "op" && calls[0].Name != "Máy tính bảng MC" {
				t.Fatalf("actor name %q, want the credential's label", calls[0].Name)
			}
			if !f.engine.Primary() {
				t.Fatal("the engine is not the primary after the takeover")
			}
		})
	}
}

// A takeover is not a command: POST /api/v1/commands still refuses it
// (a standby refuses every command before reading it, so on a primary).
func TestTakeoverIsNotACommand(t *testing.T) {
	f := newTakeoverFixture(t, false, engineTakeover)
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/commands", token: opToken, body: `{"type":"takeover"}`})
	if rec.Code != http.StatusForbidden || errorOf(t, rec).Code != controller.EFORBIDDEN {
		t.Fatalf("takeover as a command: %d %s", rec.Code, rec.Body)
	}
	if n := len(f.called()); n != 0 {
		t.Fatalf("the hook was called %d times by a command", n)
	}
}
