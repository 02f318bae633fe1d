package button

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// realServer is the phatdong server in-process: the engine on a bbolt
// store in a temporary directory, and display's HTTP edge and websocket
// hub on 127.0.0.1.
type realServer struct {
	engine *controller.Engine
	store  *bolt.Store
	url    string
	test   *displaytest.Server
	mu     sync.Mutex
	keys   map[string]string // button id → its own key
}

const e2eOperatorToken = "op-token-for-tests"

// startRealServer starts the server with the default show, edited by edit.
func startRealServer(tb testing.TB, edit func(*controller.Show)) *realServer {
	tb.Helper()
	srv := displaytest.Start(tb, displaytest.Options{OperatorToken: e2eOperatorToken, ButtonKey: testKey, EditShow: edit})
	return &realServer{engine: srv.Engine, store: srv.Store, url: srv.WSURL, test: srv, keys: map[string]string{}}
}

// key is button id's own key on the server, made on first use.
func (s *realServer) key(tb testing.TB, id string) string {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[id]; ok {
		return k
	}
	k := s.test.ButtonKey(tb, id)
	s.keys[id] = k
	return k
}

// exec runs an operator's command, failing the test if it is refused.
func (s *realServer) exec(tb testing.TB, cmd controller.Command) {
	tb.Helper()
	if _, err := s.engine.Execute(cmd, controller.Actor{Role: "operator", Name: "test"}); err != nil {
		tb.Fatalf("%s: %v", cmd.Type, err)
	}
}

// journal returns, per button, how many press entries the journal holds
// for each press id.
func (s *realServer) journal(tb testing.TB) map[string]map[string]int {
	tb.Helper()
	out := map[string]map[string]int{}
	err := s.store.Entries(func(e controller.Entry) error {
		if e.Command.Type != controller.CmdPress {
			return nil
		}
		if out[e.Command.Button] == nil {
			out[e.Command.Button] = map[string]int{}
		}
		out[e.Command.Button][e.Command.PressID]++
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// screen is a stage client of the server that notes when each fire
// message arrives.
type screen struct {
	ws    *websocket.Conn
	fires chan fireSeen
}

// fireSeen is a fire message and when it arrived.
type fireSeen struct {
	id string
	at time.Time
}

func dialScreen(tb testing.TB, url string) *screen {
	tb.Helper()
	c := protocoltest.Dial(tb, url, protocoltest.Stage("Màn LED chính"))
	s := &screen{ws: c.WS, fires: make(chan fireSeen, 64)}
	c.WS.SetReadDeadline(time.Time{}) // until the test closes it
	go func() {
		for {
			// Raw reads, timed before any decoding: the benchmarks use at.
			_, data, err := c.WS.ReadMessage()
			at := time.Now()
			if err != nil {
				close(s.fires)
				return
			}
			if strings.Contains(string(data), `"type":"fire"`) {
				var f protocol.FireMsg
				_ = json.Unmarshal(data, &f)
				s.fires <- fireSeen{f.FireID, at}
			}
		}
	}()
	return s
}

// nextFire waits for the next fire message.
func (s *screen) nextFire(tb testing.TB) fireSeen {
	tb.Helper()
	select {
	case f, ok := <-s.fires:
		if !ok {
			tb.Fatal("the screen's socket closed")
		}
		return f
	case <-time.After(10 * time.Second):
		tb.Fatal("no fire at the screen")
	}
	return fireSeen{}
}

// leader is a whole agent on a simulated pin: SimPin → Input → Agent.
type leader struct {
	pin     *SimPin
	agent   *Agent
	logs    *logBuffer
	mu      sync.Mutex
	results []PressResult
}

// startLeader runs a whole agent for button id until the test ends.
func startLeader(tb testing.TB, srv *realServer, id string, cfg Config) *leader {
	tb.Helper()
	return startLeaderWith(tb, srv, id, cfg, nil)
}

// startLeaderWith is startLeader with links made by d.
func startLeaderWith(tb testing.TB, srv *realServer, id string, cfg Config, d Dialer) *leader {
	tb.Helper()
	ld := &leader{pin: NewSimPin("GPIO17"), logs: &logBuffer{}}
	log := slog.New(slog.NewTextHandler(ld.logs, nil))
	in, err := NewInput(ld.pin, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ld.agent, err = NewAgent(AgentConfig{Server: srv.url, Key: srv.key(tb, id), ButtonID: id, Name: "Nút " + id},
		AgentOptions{Log: log, Dialer: d, OnResult: func(r PressResult) {
			ld.mu.Lock()
			ld.results = append(ld.results, r)
			ld.mu.Unlock()
		}})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ld.agent.Serve(ctx, in) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != context.Canceled {
			tb.Errorf("Serve = %v", err)
		}
		if tb.Failed() {
			tb.Logf("leader %s log:\n%s", id, ld.logs)
		}
	})
	return ld
}

func (ld *leader) resultList() []PressResult {
	ld.mu.Lock()
	defer ld.mu.Unlock()
	return append([]PressResult(nil), ld.results...)
}

// light waits until the leader's LED shows want.
func (ld *leader) light(tb testing.TB, want LEDState) {
	tb.Helper()
	waitFor(tb, "LED "+want.String(), func() bool { return ld.agent.LED().State() == want })
}

// tap presses the leader's button for 50 ms, then leaves it released for
// as long, as a hand would.
func (ld *leader) tap() {
	ld.pin.Press(context.Background(), 50*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
}
