package cues

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/phatdong/phatdong/display/osc"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// failingTargets returns the URL of an HTTP server that answers every
// request with status, and the URL of one that is gone: its dials are
// refused.
func failingTargets(t *testing.T, status int) (answers, gone string) {
	t.Helper()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", status)
	}))
	t.Cleanup(bad.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	return bad.URL, closed.URL
}

// arrival is one cue as a receiver got it, on the real clock.
type arrival struct {
	what string // the OSC address, or the HTTP method and path
	body string // the first OSC string argument, or the HTTP body
	at   time.Time
}

// receivers are a UDP listener and an HTTP test server that record
// every cue they get.
type receivers struct {
	udp  *net.UDPConn
	http *httptest.Server
	got  chan arrival
	mu   sync.Mutex
	all  []arrival
}

func newReceivers(t *testing.T) *receivers {
	t.Helper()
	r := &receivers{got: make(chan arrival, 256)}
	var err error
	if r.udp, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.udp.Close() })
	go func() {
		buf := make([]byte, osc.MaxPacket)
		for {
			n, _, err := r.udp.ReadFromUDP(buf)
			if err != nil {
				return
			}
			at := time.Now()
			m, err := osc.Decode(buf[:n])
			if err != nil {
				t.Errorf("a cue that is not OSC: %v", err)
				continue
			}
			a := arrival{what: m.Address, at: at}
			if len(m.Args) > 0 {
				a.body, _ = m.Args[0].(string)
			}
			r.record(a)
		}
	}()
	r.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		at := time.Now()
		body, _ := io.ReadAll(req.Body)
		r.record(arrival{what: req.Method + " " + req.URL.Path, body: string(body), at: at})
	}))
	t.Cleanup(r.http.Close)
	return r
}

func (r *receivers) record(a arrival) {
	r.mu.Lock()
	r.all = append(r.all, a)
	r.mu.Unlock()
	r.got <- a
}

func (r *receivers) oscTarget() string { return r.udp.LocalAddr().String() }

// arrivals is a copy of every cue received so far.
func (r *receivers) arrivals() []arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]arrival(nil), r.all...)
}

// waitCount waits until get reaches n: a positive event, never a sleep.
func waitCount(t *testing.T, get func() float64, n float64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for get() < n {
		if time.Now().After(deadline) {
			t.Fatalf("counter = %v, want %v", get(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// fires reads the fires counter of one outcome.
func fires(s *Sender, outcome string) func() float64 {
	return func() float64 { return testutil.ToFloat64(s.Fires().WithLabelValues(outcome)) }
}

// cueCount reads the cues counter of one kind and outcome.
func cueCount(s *Sender, kind, outcome string) func() float64 {
	return func() float64 { return testutil.ToFloat64(s.Cues().WithLabelValues(kind, outcome)) }
}
