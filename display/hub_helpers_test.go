package display

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

const (
	testToken = "operator-secret"
	testKey   = "button-secret"
)

// hubEnv is a real engine on a bolt store, a hub and an HTTP server.
type hubEnv struct {
	t      testing.TB
	engine *controller.Engine
	hub    *Hub
	auth   *Auth
	srv    *httptest.Server
	url    string
	keys   map[string]string // button id → its own key
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newHubEnv starts a server; tweak, when not nil, adjusts the hub's tuning.
func newHubEnv(t testing.TB, tweak func(*tuning), origins ...string) *hubEnv {
	t.Helper()
	engine, _ := testEngine(t)
	tune := defaultTuning()
	if tweak != nil {
		tweak(&tune)
	}
	return newHubEnvOn(t, engine, tune, func(cfg *HubConfig) { cfg.AllowedOrigins = origins })
}

// newHubEnvOn starts a server on engine with tune, its HubConfig changed
// by change.
func newHubEnvOn(t testing.TB, engine *controller.Engine, tune tuning, change func(*HubConfig)) *hubEnv {
	t.Helper()
	auth := testAuth(t, testToken, testKey)
	cfg := HubConfig{Engine: engine, Auth: auth, Log: quietLog(), Registry: prometheus.NewRegistry()}
	change(&cfg)
	hub := newHub(cfg, tune)
	engine.Subscribe(hub)
	e := echo.New()
	e.IPExtractor = echo.ExtractIPDirect()
	e.GET("/ws", hub.ServeWS)
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		hub.Close()
		srv.Close()
	})
	return &hubEnv{t: t, engine: engine, hub: hub, auth: auth, srv: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"}
}

// exec runs a command as the HTTP API would and fails the test on error.
func (env *hubEnv) exec(cmd controller.Command) controller.Answer {
	env.t.Helper()
	res, err := env.engine.Execute(cmd, controller.Actor{Role: "api"})
	if err != nil {
		env.t.Fatalf("execute %s: %v", cmd.Type, err)
	}
	return res.Answer
}

func (env *hubEnv) seq() uint64 { return env.engine.Snapshot().State.Seq }

// msg is any message the server sends.
type msg struct {
	Type       string             `json:"type"`
	Ref        string             `json:"ref"`
	ClientID   string             `json:"clientId"`
	Role       Role               `json:"role"`
	ServerTime float64            `json:"serverTime"`
	State      *controller.View   `json:"state"`
	ShowRev    uint64             `json:"showRev"`
	Show       json.RawMessage    `json:"show"`
	Answer     *controller.Answer `json:"answer"`
	Error      *controller.Error  `json:"error"`
	FireID     string             `json:"fireId"`
	FireAt     int64              `json:"fireAt"`
	Caption    string             `json:"caption"`
	T0, T1, T2 float64
	Counts     map[Role]int       `json:"counts"`
	Devices    []Device           `json:"devices"`
	Fire       *FireSummary       `json:"fire"`
	Warnings   []protocol.Warning `json:"warnings"`
}

// peer is a test device.
type peer struct {
	t    testing.TB
	conn *websocket.Conn
}

func (env *hubEnv) dial(header http.Header) *peer {
	env.t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(env.url, header)
	if err != nil {
		env.t.Fatalf("dial: %v (response %v)", err, resp)
	}
	p := &peer{t: env.t, conn: conn}
	env.t.Cleanup(func() { conn.Close() })
	return p
}

// join dials, says hello and reads the welcome.
func (env *hubEnv) join(hello protocol.HelloMsg) *peer {
	env.t.Helper()
	return &peer{t: env.t, conn: protocoltest.Dial(env.t, env.url, hello).WS}
}

func (env *hubEnv) screen(name string) *peer {
	return env.join(protocoltest.Stage(name))
}

func (env *hubEnv) operator() *peer {
	return env.join(protocol.HelloMsg{Role: RoleOperator, Name: "MC", Token: testToken})
}

// button joins as button id with a key of its own, made on first use.
func (env *hubEnv) button(id string) *peer {
	return env.join(protocol.HelloMsg{Role: RoleButton, Name: "Nút " + id, Button: id, Key: env.buttonKey(id)})
}

// buttonKey is button id's own key, made on first use.
func (env *hubEnv) buttonKey(id string) string {
	env.t.Helper()
	if key, ok := env.keys[id]; ok {
		return key
	}
	_, key, err := env.auth.Registry().Create(access.KindButton, "Nút thử", id)
	if err != nil {
		env.t.Fatal(err)
	}
	if env.keys == nil {
		env.keys = map[string]string{}
	}
	env.keys[id] = key
	return key
}

// sharedButton joins as button id with the shared key of an older database.
func (env *hubEnv) sharedButton(id string) *peer {
	return env.join(protocol.HelloMsg{Role: RoleButton, Name: "Nút " + id, Button: id, Key: testKey})
}

func (p *peer) send(v any) {
	p.t.Helper()
	if err := p.conn.WriteJSON(v); err != nil {
		p.t.Fatalf("send: %v", err)
	}
}

func (p *peer) sendRaw(s string) {
	p.t.Helper()
	if err := p.conn.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		p.t.Fatalf("send: %v", err)
	}
}

// read returns the next message, failing after 5 s.
func (p *peer) read() msg {
	p.t.Helper()
	m, err := p.tryRead(5 * time.Second)
	if err != nil {
		p.t.Fatalf("read: %v", err)
	}
	return m
}

func (p *peer) tryRead(wait time.Duration) (msg, error) {
	var m msg
	p.conn.SetReadDeadline(time.Now().Add(wait))
	_, data, err := p.conn.ReadMessage()
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		p.t.Fatalf("decode %s: %v", data, err)
	}
	return m, nil
}

// until reads until a message of type typ, and returns it and what came
// before it.
func (p *peer) until(typ string) (msg, []msg) {
	p.t.Helper()
	var skipped []msg
	for {
		m := p.read()
		if m.Type == typ {
			return m, skipped
		}
		skipped = append(skipped, m)
	}
}

// closeCode reads until the socket ends and returns the close code.
func (p *peer) closeCode() int {
	p.t.Helper()
	for {
		_, err := p.tryRead(5 * time.Second)
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if ok := asCloseError(err, &ce); ok {
			return ce.Code
		}
		p.t.Fatalf("socket ended without a close frame: %v", err)
	}
}

func asCloseError(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ptr[T any](v T) *T { return &v }
