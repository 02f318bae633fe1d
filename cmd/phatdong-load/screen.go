package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/protocol"
)

// nowMs is the local clock in Unix ms, as the protocol writes times.
func nowMs() float64 { return clocksync.Stamp(time.Now()) }

// fireSeen is a fire event as one client received it.
type fireSeen struct {
	id      string
	fireAt  float64
	arrival float64 // local Unix ms
}

// answerSeen is the answer to a press, or the error that refused it.
type answerSeen = protocol.AnswerMsg

// screen is one client socket. Its reader records when each state and
// fire event arrived as soon as the message is read: either the screen's
// own goroutine, or the poller that reads every socket with one system
// call per message.
type screen struct {
	conn  *websocket.Conn
	fd    int        // the socket, for the poller
	slot  int        // the poller's number for it
	frame []byte     // the poller's partial frame
	wmu   sync.Mutex // one writer at a time: the clock sync and the presses
	est   *clocksync.Estimator
	times *serverTimes

	mu       sync.Mutex
	base     uint64    // seq of the first state
	arrivals []float64 // local arrival time by seq-base; 0 while missing
	inKernel []float64 // when the kernel received it (poller only); 0 when unknown
	fires    []fireSeen

	firstState atomic.Int64  // local Unix µs of the first state; 0 before
	lastSeq    atomic.Uint64 // highest seq received
	done       chan struct{} // closed when the reader ends
	closeCode  atomic.Int32  // how the socket ended: the close frame's code, 1006 without one; 0 while open
	ended      sync.Once
	answers    chan answerSeen
	fired      chan fireSeen
	timed      chan struct{} // a time answer arrived
}

// dialer dials the screens that read on goroutines of their own;
// pollDialer (epoll_linux.go) those the poller reads.
var dialer = websocket.Dialer{HandshakeTimeout: 60 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}

// dialScreen connects, says hello and starts reading: on p when it is
// not nil, else on a goroutine of its own.
func dialScreen(ctx context.Context, url string, hello protocol.HelloMsg, times *serverTimes, p *poller) (*screen, error) {
	d := &dialer
	if p != nil {
		d = &pollDialer
	}
	conn, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	s := &screen{conn: conn, est: clocksync.NewEstimator(0), times: times, done: make(chan struct{}),
		answers: make(chan answerSeen, 4), fired: make(chan fireSeen, 4), timed: make(chan struct{}, 1)}
	if p != nil {
		if err := p.add(s); err != nil {
			conn.Close()
			return nil, err
		}
	}
	if err := s.write(hello); err != nil {
		conn.Close()
		return nil, fmt.Errorf("hello: %w", err)
	}
	if p == nil {
		go s.read()
	}
	return s, nil
}

// write sends one JSON message.
func (s *screen) write(v any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return s.conn.WriteJSON(v)
}

// read records arrivals until the socket ends.
func (s *screen) read() {
	defer s.end()
	buf := make([]byte, 0, 16<<10)
	for {
		_, r, err := s.conn.NextReader()
		if err != nil {
			code := websocket.CloseAbnormalClosure
			if ce, ok := err.(*websocket.CloseError); ok {
				code = ce.Code
			}
			s.closedWith(code)
			return
		}
		b := bytes.NewBuffer(buf[:0])
		if _, err := io.Copy(b, r); err != nil {
			s.closedWith(websocket.CloseAbnormalClosure)
			return
		}
		at := nowMs()
		buf = b.Bytes()
		s.handle(buf, at, 0)
	}
}

var (
	stateHead = []byte(`{"type":"state"`)
	fireHead  = []byte(`{"type":"fire"`)
	timeHead  = []byte(`{"type":"time"`)
	ansHead   = []byte(`{"type":"answer"`)
	errHead   = []byte(`{"type":"error"`)
)

func (s *screen) handle(b []byte, at, inKernel float64) {
	switch {
	case bytes.HasPrefix(b, stateHead):
		seq, st, ok := parseState(b)
		if !ok {
			return
		}
		s.times.put(seq, st)
		s.mu.Lock()
		if s.firstState.Load() == 0 {
			s.base = seq
			s.firstState.Store(int64(at * 1000))
		}
		if seq >= s.base {
			i := int(seq - s.base)
			for len(s.arrivals) <= i {
				s.arrivals = append(s.arrivals, 0)
			}
			s.arrivals[i] = at
			if inKernel > 0 {
				for len(s.inKernel) <= i {
					s.inKernel = append(s.inKernel, 0)
				}
				s.inKernel[i] = inKernel
			}
		}
		s.mu.Unlock()
		if seq > s.lastSeq.Load() {
			s.lastSeq.Store(seq)
		}
	case bytes.HasPrefix(b, fireHead):
		var m protocol.FireMsg
		if json.Unmarshal(b, &m) != nil {
			return
		}
		f := fireSeen{id: m.FireID, fireAt: float64(m.FireAt), arrival: at}
		s.mu.Lock()
		s.fires = append(s.fires, f)
		s.mu.Unlock()
		select {
		case s.fired <- f:
		default:
		}
	case bytes.HasPrefix(b, timeHead):
		var m protocol.TimeMsg
		if json.Unmarshal(b, &m) == nil {
			_ = s.est.Add(clocksync.SampleOf(m, at))
			select {
			case s.timed <- struct{}{}:
			default:
			}
		}
	case bytes.HasPrefix(b, ansHead), bytes.HasPrefix(b, errHead):
		var a answerSeen
		if json.Unmarshal(b, &a) == nil {
			select {
			case s.answers <- a:
			default:
			}
		}
	}
}

// parseState finds seq and serverTime in a state message without decoding
// the whole view: the server writes serverTime first and the view starts
// with seq.
func parseState(b []byte) (seq uint64, serverTime float64, ok bool) {
	num := func(key string) ([]byte, bool) {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			return nil, false
		}
		rest := b[i+len(key):]
		j := bytes.IndexAny(rest, ",}")
		if j < 0 {
			return nil, false
		}
		return rest[:j], true
	}
	st, ok1 := num(`"serverTime":`)
	sq, ok2 := num(`"state":{"seq":`)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	t, err1 := strconv.ParseFloat(string(st), 64)
	n, err2 := strconv.ParseUint(string(sq), 10, 64)
	return n, t, err1 == nil && err2 == nil
}

// syncClock samples the clock like a screen: one request at a time, a
// burst when connected, then one every interval (±20 %, so that clients
// do not all ask at once), until ctx ends.
func (s *screen) syncClock(ctx context.Context, interval time.Duration) {
	for {
		wait := clocksync.Schedule(s.est.Count())
		if wait >= clocksync.SteadyInterval {
			wait = time.Duration(float64(interval) * (0.8 + 0.4*rand.Float64()))
		}
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-time.After(wait):
		}
		if s.write(protocol.TimeMsg{Type: protocol.TypeTime, T0: nowMs()}) != nil {
			return
		}
		select { // the answer, or give up on it after a second
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-s.timed:
		case <-time.After(time.Second):
		}
	}
}

// arrival is when the state seq arrived (local ms), or 0.
func (s *screen) arrival(seq uint64) float64 { return s.timeOf(seq, &s.arrivals) }

// kernelArrival is when the kernel received state seq (local ms), or 0
// when the reader does not know.
func (s *screen) kernelArrival(seq uint64) float64 { return s.timeOf(seq, &s.inKernel) }

// timeOf reads seq's entry of times, one of the screen's arrival lists.
func (s *screen) timeOf(seq uint64, times *[]float64) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq < s.base || int(seq-s.base) >= len(*times) {
		return 0
	}
	return (*times)[seq-s.base]
}

// fire is when the fire event id arrived, if it did.
func (s *screen) fire(id string) (fireSeen, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.fires {
		if f.id == id {
			return f, true
		}
	}
	return fireSeen{}, false
}

// close says goodbye and waits a moment for the server to close first, so
// that the TIME_WAIT of the connection stays on the server's side and the
// client's ephemeral ports are free for the next run.
func (s *screen) close() {
	s.wmu.Lock()
	_ = s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	s.wmu.Unlock()
	select {
	case <-s.done:
	case <-time.After(2 * time.Second):
	}
	s.conn.Close()
}

// publishDelays is how long after the server published seq (at st, server
// time) the screen read it (at, its own clock) and, when the kernel stamped
// it, when it reached the socket (0 when not stamped). known is false when
// the screen's clock is not known yet (a tool on another host).
func (s *screen) publishDelays(seq uint64, at, st float64, same bool) (read, kernel float64, known bool) {
	offset := 0.0
	if !same {
		if !s.est.Ready() {
			return 0, 0, false
		}
		offset = s.est.Offset()
	}
	if k := s.kernelArrival(seq); k > 0 {
		kernel = k + offset - st
	}
	return at + offset - st, kernel, true
}
