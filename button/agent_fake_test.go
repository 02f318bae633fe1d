package button

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

const testKey = "k-test"

// fakeServer speaks the server's side of docs/protocol.md to buttons, with
// hooks to script its answers and to cut links, over a real websocket.
type fakeServer struct {
	tb  testing.TB
	srv *httptest.Server
	up  websocket.Upgrader

	// now is the server's clock in Unix ms; nil means the real clock.
	now func() float64
	// decide answers a press: an outcome, or an error code. Returning
	// cut closes the link instead, before answering; silent answers
	// nothing. nil counts every press.
	decide func(p protocol.PressMsg, n int) (outcome, code string, cut, silent bool)
	// pair, if set, lists the pair's servers for the welcome and GET
	// /api/v1/pair; ok false makes that GET fail (503). nil: a server
	// alone, without the pair API.
	pair func() (servers []protocol.ServerInfo, ok bool)

	mu      sync.Mutex
	down    bool
	hellos  []protocol.HelloMsg
	presses []protocol.PressMsg
	ids     map[string]int // press id → times received
	times   int
	conns   map[*fakeConn]bool
	launch  protocol.Launch
	epoch   uint64 // the state's epoch
	pairs   int    // GET /api/v1/pair received
	// witnesses are the witness reports received (POST /api/v1/witness).
	witnesses []witnessCall
}

// witnessCall is one witness report as the fake server received it.
type witnessCall struct {
	at          time.Time
	method      string
	auth        string // the Authorization header
	contentType string
	report      protocol.WitnessReport
	err         error // the body could not be read
}

// fakeConn is one button socket of the fake server.
type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex // one writer at a time
}

func (c *fakeConn) write(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(time.Second))
	_ = c.ws.WriteJSON(v)
}

func newFakeServer(tb testing.TB) *fakeServer {
	f := &fakeServer{
		tb: tb, ids: map[string]int{}, conns: map[*fakeConn]bool{},
		launch: protocol.Launch{Phase: protocol.LaunchIdle, Presses: []protocol.Press{}},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(func() {
		f.setDown(true)
		f.srv.Close()
	})
	return f
}

// url is the websocket URL of the fake server.
func (f *fakeServer) url() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

func (f *fakeServer) stamp() float64 {
	if f.now != nil {
		return f.now()
	}
	return clocksync.Stamp(time.Now())
}

// setDown cuts every link and refuses new ones, or accepts them again.
func (f *fakeServer) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	var cut []*fakeConn
	if down {
		for c := range f.conns {
			cut = append(cut, c)
		}
	}
	f.mu.Unlock()
	for _, c := range cut {
		_ = c.ws.Close()
	}
}

// cutAll closes every link; the agent may reconnect at once.
func (f *fakeServer) cutAll() {
	f.mu.Lock()
	var cut []*fakeConn
	for c := range f.conns {
		cut = append(cut, c)
	}
	f.mu.Unlock()
	for _, c := range cut {
		_ = c.ws.Close()
	}
}

// setLaunch changes the launch and sends the new state to every button.
func (f *fakeServer) setLaunch(l protocol.Launch) {
	f.mu.Lock()
	f.launch = l
	f.mu.Unlock()
	f.broadcast(f.stateMsg())
}

// fire sends a fire message to every button.
func (f *fakeServer) fire(id string, fireAt float64) {
	f.broadcast(map[string]any{"type": "fire", "fireId": id, "fireAt": fireAt})
}

// pushServers sends a servers message (the pair's servers changed) to
// every button, as a server of a pair does when a standby joins or takes
// over.
func (f *fakeServer) pushServers(servers []protocol.ServerInfo) {
	f.broadcast(protocol.ServersMsg{Type: protocol.TypeServers, Servers: servers})
}

// pairAsked returns how many times GET /api/v1/pair was received.
func (f *fakeServer) pairAsked() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pairs
}

func (f *fakeServer) broadcast(v any) {
	f.mu.Lock()
	var cs []*fakeConn
	for c := range f.conns {
		cs = append(cs, c)
	}
	f.mu.Unlock()
	for _, c := range cs {
		c.write(v)
	}
}

func (f *fakeServer) stateMsg() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := map[string]any{"seq": 1, "launch": f.launch}
	if f.epoch != 0 {
		st["epoch"] = f.epoch
	}
	return map[string]any{"type": "state", "serverTime": f.stamp(), "state": st}
}

// snapshot returns what the server has seen so far.
func (f *fakeServer) snapshot() (hellos []protocol.HelloMsg, presses []protocol.PressMsg, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]protocol.HelloMsg(nil), f.hellos...), append([]protocol.PressMsg(nil), f.presses...), f.times
}

// connected reports how many buttons are connected.
func (f *fakeServer) connected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Path == "/api/v1/pair" {
		f.servePair(w, r)
		return
	}
	if r.URL.Path == "/api/v1/witness" {
		f.serveWitness(w, r)
		return
	}
	ws, err := f.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	defer ws.Close()
	var hello protocol.HelloMsg
	if err := ws.ReadJSON(&hello); err != nil {
		return
	}
	f.mu.Lock()
	f.hellos = append(f.hellos, hello)
	f.mu.Unlock()
	if hello.Type != "hello" || hello.Role != "button" || hello.Key != testKey || hello.Button == "" {
		c.write(map[string]any{"type": "error", "error": protocolError(protocol.CodeUnauthorized, "the button key is missing or wrong")})
		return
	}
	welcome := map[string]any{"type": "welcome", "clientId": "c1", "role": "button", "serverTime": f.stamp()}
	if f.pair != nil {
		welcome["servers"], _ = f.pair()
	}
	c.write(welcome)
	c.write(f.stateMsg())
	f.mu.Lock()
	if f.down {
		f.mu.Unlock()
		return
	}
	f.conns[c] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var m struct {
			Type string  `json:"type"`
			T0   float64 `json:"t0"`
			protocol.PressMsg
		}
		if err := json.Unmarshal(data, &m); err != nil {
			f.tb.Errorf("fake server: bad message %s: %v", data, err)
			return
		}
		switch m.Type {
		case "time":
			t := f.stamp()
			f.mu.Lock()
			f.times++
			f.mu.Unlock()
			c.write(protocol.TimeMsg{Type: protocol.TypeTime, T0: m.T0, T1: t, T2: t})
		case "press":
			p := m.PressMsg
			p.Type = m.Type
			f.mu.Lock()
			f.presses = append(f.presses, p)
			f.ids[p.PressID]++
			n := len(f.presses)
			decide := f.decide
			f.mu.Unlock()
			outcome, code, cut, silent := protocol.OutcomeCounted, "", false, false
			if decide != nil {
				outcome, code, cut, silent = decide(p, n)
			}
			switch {
			case cut:
				return
			case silent:
			case code != "":
				e := protocolError(code, "refused: %s", code)
				c.write(map[string]any{"type": "answer", "ref": p.Ref, "answer": protocol.Answer{Seq: 1, Error: e}, "error": e})
			default:
				c.write(map[string]any{"type": "answer", "ref": p.Ref, "answer": protocol.Answer{Seq: 2, Outcome: outcome}})
			}
		default:
			f.tb.Errorf("fake server: a button sent %q", m.Type)
		}
	}
}

// servePair answers GET /api/v1/pair.
func (f *fakeServer) servePair(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.pairs++
	f.mu.Unlock()
	if f.pair == nil {
		http.NotFound(w, r)
		return
	}
	servers, ok := f.pair()
	if !ok {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(protocol.PairInfo{Servers: servers})
}

// serveWitness records a witness report and answers 204.
func (f *fakeServer) serveWitness(w http.ResponseWriter, r *http.Request) {
	c := witnessCall{at: time.Now(), method: r.Method, auth: r.Header.Get("Authorization"), contentType: r.Header.Get("Content-Type")}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	c.err = dec.Decode(&c.report)
	f.mu.Lock()
	f.witnesses = append(f.witnesses, c)
	f.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// witnessed returns the witness reports received so far.
func (f *fakeServer) witnessed() []witnessCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]witnessCall(nil), f.witnesses...)
}

// protocolError is a refusal as the server words it.
func protocolError(code, format string, args ...any) *protocol.Error {
	return &protocol.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
