package display

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// benchScreen is a screen of the fan-out benchmark: it records when each
// state arrives, in its own goroutine.
type benchScreen struct {
	conn    *websocket.Conn
	lastSeq atomic.Uint64
	mu      sync.Mutex
	arrived map[uint64]time.Time
}

func (s *benchScreen) read() {
	for {
		_, data, err := s.conn.ReadMessage()
		if err != nil {
			return
		}
		at := time.Now()
		i := bytes.Index(data, []byte(`"state":{"seq":`))
		if i < 0 {
			continue
		}
		rest := data[i+len(`"state":{"seq":`):]
		seq, err := strconv.ParseUint(string(rest[:bytes.IndexByte(rest, ',')]), 10, 64)
		if err != nil {
			continue
		}
		s.mu.Lock()
		s.arrived[seq] = at
		s.mu.Unlock()
		s.lastSeq.Store(seq)
	}
}

// benchFanout publishes b.N snapshots to n connected screens, each once
// every screen has the previous one, and reports the latency from publish
// to arrival. Clients and server share this process: the figures of the
// issue come from cmd/phatdong-load against a server process.
func benchFanout(b *testing.B, n int) {
	env := newHubEnv(b, nil)
	screens := make([]*benchScreen, n)
	for i := range screens {
		p := env.dial(nil)
		p.send(map[string]any{"type": "hello", "role": RoleStage})
		s := &benchScreen{conn: p.conn, arrived: map[uint64]time.Time{}}
		screens[i] = s
		go s.read()
	}
	base := env.seq()
	for _, s := range screens {
		for s.lastSeq.Load() < base {
			time.Sleep(time.Millisecond)
		}
	}
	snap := env.engine.Snapshot()
	sent := map[uint64]time.Time{}
	b.ResetTimer()
	for i := range b.N {
		seq := base + uint64(i) + 1
		snap.State.Seq = seq
		sent[seq] = time.Now()
		env.hub.Publish(snap)
		for _, s := range screens {
			for s.lastSeq.Load() < seq {
				time.Sleep(50 * time.Microsecond)
			}
		}
	}
	b.StopTimer()
	var lat []float64
	for _, s := range screens {
		s.mu.Lock()
		for seq, at := range s.arrived {
			if t0, ok := sent[seq]; ok {
				lat = append(lat, float64(at.Sub(t0))/float64(time.Millisecond))
			}
		}
		s.mu.Unlock()
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return lat[int(math.Ceil(p*float64(len(lat))))-1] }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(lat[len(lat)-1], "max-ms")
}

func BenchmarkFanout1000(b *testing.B) { benchFanout(b, 1000) }
func BenchmarkFanout5000(b *testing.B) { benchFanout(b, 5000) }
