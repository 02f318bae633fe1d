package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
	"github.com/phatdong/phatdong/static/browsertest/delayproxy"
)

// oneFrame is a frame at 60 Hz: the bound of the moment's spread.
const oneFrame = 1000.0 / 60

// leafOf is where a server process's node takes leaf links.
func leafOf(t testing.TB, p *proc) string {
	t.Helper()
	code, body := p.call("GET", "/healthz", "", "")
	var h struct {
		NATS struct {
			LeafAddr string `json:"leafAddr"`
		} `json:"nats"`
	}
	if err := json.Unmarshal(body, &h); err != nil || code != 200 || h.NATS.LeafAddr == "" {
		t.Fatalf("healthz: %d %s", code, body)
	}
	return h.NATS.LeafAddr
}

// createVenue makes a hall's credential on a province process and
// returns its id and key.
func (p *proc) createVenue(t testing.TB, name string, delayMs int) (id, key string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"kind": "venue", "label": name, "delayMs": delayMs})
	code, out := p.call("POST", "/api/v1/credentials", testToken, string(body))
	var got struct {
		Credential struct{ ID string } `json:"credential"`
		VenueKey   string              `json:"venueKey"`
	}
	if err := json.Unmarshal(out, &got); err != nil || code/100 != 2 || got.VenueKey == "" {
		t.Fatalf("create venue %s: %d %s", name, code, out)
	}
	return got.Credential.ID, got.VenueKey
}

// venues is the province's list of halls, as its MC gets it.
func (p *proc) venues(t testing.TB) []protocol.Venue {
	t.Helper()
	code, body := p.call("GET", "/healthz", "", "")
	var h struct {
		Venues []protocol.Venue `json:"venues"`
	}
	if err := json.Unmarshal(body, &h); err != nil || code != 200 {
		t.Fatalf("healthz: %d %s", code, body)
	}
	return h.Venues
}

// hallOf is a hall process's link to the province, as its MC sees it.
func (p *proc) hallOf(t testing.TB) protocol.Hall {
	t.Helper()
	code, body := p.call("GET", "/healthz", "", "")
	var h struct {
		Hall *protocol.Hall `json:"hall"`
	}
	if err := json.Unmarshal(body, &h); err != nil || code != 200 || h.Hall == nil {
		t.Fatalf("healthz: %d %s", code, body)
	}
	return *h.Hall
}

// launchHall runs a district hall's server process following the
// province at leaf (the address it dials) with key.
func launchHall(t testing.TB, db, leaf, key, name string) *proc {
	t.Helper()
	return launch(t, db, "--venue-of", leaf, "--venue-key", key, "--venue", name)
}

// hallScreen is a stage screen of a hall, in Go: it keeps its clock
// synchronised with the hall's server as a stage page does, and notes,
// for every fire it sees, the instant (on this machine's clock, which is
// every process's) at which its corrected clock reaches the moment's
// fireAt, and how late the fired state came.
type hallScreen struct {
	name string
	ws   *websocket.Conn
	est  *clocksync.Estimator
	done chan struct{}

	mu     sync.Mutex
	starts map[string]screenStart // by fireId
	fired  int                    // states that turned the launch to fired
	phase  string
	seq    uint64
}

// screenStart is one screen's start of one moment.
type screenStart struct {
	fireAt int64     // the hall's fireAt, Unix ms, province time
	at     time.Time // when its corrected clock reads fireAt
	lateMs float64   // how long after that the fired state arrived; <= 0 in time
}

func dialScreen(t testing.TB, hall *proc, name string) *hallScreen {
	t.Helper()
	c := protocoltest.Dial(t, "ws"+strings.TrimPrefix(hall.base, "http")+"/ws", protocoltest.Stage(name))
	_ = c.WS.SetReadDeadline(time.Time{}) // Dial's deadline was for the welcome
	s := &hallScreen{name: name, ws: c.WS, est: clocksync.NewEstimator(0), done: make(chan struct{}), starts: map[string]screenStart{}}
	go s.read()
	go s.sync()
	t.Cleanup(func() { close(s.done); c.WS.Close() })
	return s
}

func (s *hallScreen) sync() {
	var mu sync.Mutex // gorilla allows one writer at a time
	for {
		select {
		case <-s.done:
			return
		case <-time.After(max(clocksync.Schedule(s.est.Count()), 40*time.Millisecond)):
		}
		mu.Lock()
		err := s.ws.WriteJSON(protocol.TimeMsg{Type: protocol.TypeTime, T0: clocksync.Stamp(time.Now())})
		mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *hallScreen) read() {
	for {
		_, data, err := s.ws.ReadMessage()
		at := time.Now()
		if err != nil {
			return
		}
		var head struct{ Type string }
		if json.Unmarshal(data, &head) != nil {
			continue
		}
		switch head.Type {
		case protocol.TypeTime:
			var m protocol.TimeMsg
			if json.Unmarshal(data, &m) == nil {
				_ = s.est.Add(clocksync.SampleOf(m, clocksync.Stamp(at)))
			}
		case protocol.TypeState:
			var m protocol.StateMsg
			if json.Unmarshal(data, &m) == nil {
				s.see(m.State, at)
			}
		}
	}
}

// see notes a state that arrived at at.
func (s *hallScreen) see(v protocol.View, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := v.Launch
	if l.Phase == "fired" && s.phase != "fired" {
		s.fired++
	}
	s.phase, s.seq = string(l.Phase), v.Seq
	if l.Phase != "fired" || l.FireID == "" {
		return
	}
	if _, ok := s.starts[l.FireID]; ok {
		return
	}
	local := time.UnixMicro(int64((float64(l.FireAt) - s.est.Offset()) * 1000))
	s.starts[l.FireID] = screenStart{fireAt: l.FireAt, at: local, lateMs: float64(at.Sub(local).Microseconds()) / 1000}
}

func (s *hallScreen) start(fireID string) (screenStart, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.starts[fireID]
	return st, ok
}

func (s *hallScreen) firedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fired
}

// hallOnProxy is a hall process whose leaf link runs through a delaying
// proxy, with its screens.
type hallOnProxy struct {
	name    string
	delayMs int
	oneWay  time.Duration // the link's delay each way
	link    *delayproxy.Proxy
	proc    *proc
	screens []*hallScreen
}

func (h *hallOnProxy) String() string {
	return fmt.Sprintf("%s (link %v, delay %d ms)", h.name, h.oneWay, h.delayMs)
}

// checkStarts checks that every screen of h started the moment fireID
// within one frame of the province's fireAt plus h's delay, in time.
func (h *hallOnProxy) checkStarts(t *testing.T, fireID string, provinceFireAt int64) {
	t.Helper()
	want := time.UnixMilli(provinceFireAt + int64(h.delayMs))
	for _, s := range h.screens {
		st, ok := s.start(fireID)
		if !ok {
			s.mu.Lock()
			t.Errorf("%s: %s never saw fire %s (it shows seq %d, launch %s)", h, s.name, fireID, s.seq, s.phase)
			s.mu.Unlock()
			continue
		}
		off := float64(st.at.Sub(want).Microseconds()) / 1000
		t.Logf("%s: %s starts %s %+.2f ms from the province's fireAt + %d ms (state came %.0f ms ahead)", h, s.name, fireID, off, h.delayMs, -st.lateMs)
		if math.Abs(off) > oneFrame {
			t.Errorf("%s: %s starts %s %+.2f ms off fireAt + delay, want within one frame", h, s.name, fireID, off)
		}
		if st.lateMs > 0 {
			t.Errorf("%s: %s got the fire %.0f ms late", h, s.name, st.lateMs)
		}
	}
}
