package display

import (
	"net/http"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
)

func TestHelloEachRole(t *testing.T) {
	env := newHubEnv(t, nil)
	seq := env.seq()
	cases := []struct {
		hello    map[string]any
		wantShow bool
	}{
		{map[string]any{"role": RoleStage, "name": "Màn LED chính"}, false},
		{map[string]any{"role": RolePresenter}, false},
		{map[string]any{"role": RoleMonitor, "name": "Kỹ thuật viên"}, true},
		{map[string]any{"role": RoleOperator, "name": "MC", "token": testToken}, true},
		{map[string]any{"role": RoleButton, "name": "Nút 1", "button": "nut-1", "key": testKey}, false},
	}
	for _, tc := range cases {
		role := tc.hello["role"].(Role)
		t.Run(string(role), func(t *testing.T) {
			p := env.dial(nil)
			tc.hello["type"] = "hello"
			p.send(tc.hello)
			w := p.read()
			if w.Type != "welcome" || w.Role != role || w.ClientID == "" || w.ServerTime == 0 {
				t.Fatalf("welcome = %+v", w)
			}
			m := p.read()
			if tc.wantShow {
				if m.Type != "show" || m.ShowRev == 0 || len(m.Show) == 0 {
					t.Fatalf("%s: got %+v, want the show", role, m)
				}
				m = p.read()
			}
			if m.Type != "state" || m.State == nil || m.State.Seq != seq || m.ServerTime == 0 {
				t.Fatalf("%s: got %+v, want the state at seq %d", role, m, seq)
			}
		})
	}
	eventually(t, "five devices", func() bool { return len(env.hub.Devices()) == 5 })
	d := env.hub.Devices()
	if d[0].Role != RoleOperator || d[1].Role != RoleButton || d[1].Button != "nut-1" || d[2].Name != "Màn LED chính" {
		t.Fatalf("devices = %+v", d)
	}
}

func TestHelloRefused(t *testing.T) {
	env := newHubEnv(t, nil)
	cases := []struct {
		name  string
		hello string
		code  string
	}{
		{"wrong token", `{"type":"hello","role":"operator","token":"guess"}`, EUNAUTHORIZED},
		{"no token", `{"type":"hello","role":"operator"}`, EUNAUTHORIZED},
		{"wrong key", `{"type":"hello","role":"button","button":"nut-1","key":"guess"}`, EUNAUTHORIZED},
		{"button without id", `{"type":"hello","role":"button","key":"` + testKey + `"}`, controller.EINVALID},
		{"unknown role", `{"type":"hello","role":"admin"}`, controller.EINVALID},
		{"no role", `{"type":"hello"}`, controller.EINVALID},
		{"not a hello", `{"type":"time","t0":1}`, controller.EINVALID},
		{"malformed", `{"type":"hello",`, controller.EINVALID},
		{"control characters", `{"type":"hello","role":"stage","name":"a\u0007b"}`, controller.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := env.dial(nil)
			p.sendRaw(tc.hello)
			m := p.read()
			if m.Type != "error" || m.Error == nil || m.Error.Code != tc.code {
				t.Fatalf("got %+v, want an error %s", m, tc.code)
			}
			if code := p.closeCode(); code != websocket.ClosePolicyViolation {
				t.Fatalf("close code %d, want %d", code, websocket.ClosePolicyViolation)
			}
		})
	}
	if n := len(env.hub.Devices()); n != 0 {
		t.Fatalf("%d devices after refused hellos", n)
	}
}

func TestHelloRateLimited(t *testing.T) {
	env := newHubEnv(t, nil)
	for range DefaultMaxFailures {
		p := env.dial(nil)
		p.sendRaw(`{"type":"hello","role":"operator","token":"guess"}`)
		p.until("error")
	}
	p := env.dial(nil)
	p.sendRaw(`{"type":"hello","role":"operator","token":"` + testToken + `"}`)
	if m := p.read(); m.Error == nil || m.Error.Code != ERATELIMITED {
		t.Fatalf("got %+v, want rate_limited even with the right token", m)
	}
}

func TestOriginChecked(t *testing.T) {
	env := newHubEnv(t, nil, "http://mc.local:8080")
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{"http://evil.example", false},
		{"http://" + env.srv.Listener.Addr().String(), true},
		{"http://mc.local:8080", true},
		{"http://mc.local:9090", false},
		{"null", false},
	} {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		conn, resp, err := websocket.DefaultDialer.Dial(env.url, h)
		if tc.ok {
			if err != nil {
				t.Errorf("origin %q: %v", tc.origin, err)
				continue
			}
			conn.Close()
			continue
		}
		if err == nil {
			conn.Close()
			t.Errorf("origin %q was accepted", tc.origin)
			continue
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("origin %q: response %v, want 403", tc.origin, resp)
		}
	}
}

func TestCloseSaysGoingAway(t *testing.T) {
	env := newHubEnv(t, nil)
	a, b := env.screen("a"), env.operator()
	env.hub.Close()
	for _, p := range []*peer{a, b} {
		if code := p.closeCode(); code != websocket.CloseGoingAway {
			t.Fatalf("close code %d, want 1001", code)
		}
	}
	if _, resp, err := websocket.DefaultDialer.Dial(env.url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after Close: %v %v, want 503", err, resp)
	}
}
