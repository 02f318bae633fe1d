package oscin

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display/osc"
)

func testEngine(t *testing.T) *controller.Engine {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "show.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	e, err := controller.Open(controller.Config{Store: store, DefaultShow: show, Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startListener serves a listener on a free loopback port for the engine.
func startListener(t *testing.T, e *controller.Engine, allow ...string) *Listener {
	t.Helper()
	return startListenerLog(t, e, quiet(), allow...)
}

// startListenerLog is startListener logging to log.
func startListenerLog(t *testing.T, e *controller.Engine, log *slog.Logger, allow ...string) *Listener {
	t.Helper()
	list, err := ParseAllow(allow)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(cmd controller.Command, a controller.Actor) error {
		_, err := e.Execute(cmd, a)
		return err
	}
	l, err := Listen(Config{Addr: "127.0.0.1:0", Allow: list, Exec: exec, Log: log, Registry: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return l
}

// client is a Go OSC client, as a control surface would be.
func client(t *testing.T, l *Listener) func(p []byte) {
	t.Helper()
	conn, err := net.DialUDP("udp", nil, l.Addr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return func(p []byte) {
		if _, err := conn.Write(p); err != nil {
			t.Fatal(err)
		}
	}
}

func encode(t *testing.T, addr string, args ...any) []byte {
	t.Helper()
	p, err := osc.Encode(osc.Message{Address: addr, Args: args})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitTotal waits until the listener has handled n packets in all.
func waitTotal(t *testing.T, l *Listener, n float64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var total float64
		for _, o := range []string{OutcomeAccepted, OutcomeRelease, OutcomeSender, OutcomeBad, OutcomeRejected} {
			total += testutil.ToFloat64(l.counts.WithLabelValues(o))
		}
		if total >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("handled %v packets, want %v", total, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestListenerMovesTheShow(t *testing.T) {
	e := testEngine(t)
	l := startListener(t, e, "127.0.0.1")
	send := client(t, l)
	packets := [][]byte{
		encode(t, "/phatdong/next"),
		encode(t, "/phatdong/next", int32(0)), // the release of the same button
		encode(t, "/phatdong/start", float32(1)),
		encode(t, "/phatdong/add-time", int32(60)),
		encode(t, "/phatdong/message", "Còn 2 phút"),
		encode(t, "/phatdong/blackout", int32(1)),
		encode(t, "/phatdong/arm"),              // never over OSC
		encode(t, "/phatdong/fire"),             // never over OSC
		encode(t, "/phatdong/goto", "no-such"),  // the engine refuses it
		[]byte("not osc at all"),                // bad packet
		encode(t, "/phatdong/goto", "tap-huan"), // last segment
	}
	for _, p := range packets {
		send(p)
	}
	waitTotal(t, l, float64(len(packets)))
	for outcome, want := range map[string]float64{
		OutcomeAccepted: 6, OutcomeRelease: 1, OutcomeBad: 3, OutcomeRejected: 1, OutcomeSender: 0,
	} {
		if got := testutil.ToFloat64(l.counts.WithLabelValues(outcome)); got != want {
			t.Errorf("%s = %v, want %v", outcome, got, want)
		}
	}
	v := e.Snapshot().View()
	if v.Current.ID != "tap-huan" || !v.Blackout || v.Message.Text != "Còn 2 phút" {
		t.Errorf("state: segment %q blackout %v message %q", v.Current.ID, v.Blackout, v.Message.Text)
	}
	if v.Launch.Phase != controller.LaunchIdle {
		t.Errorf("launch phase %q: OSC must never arm or fire", v.Launch.Phase)
	}
}

func TestListenerRefusesSenders(t *testing.T) {
	for name, allow := range map[string][]string{"empty list": nil, "other sender": {"192.168.1.20", "10.0.0.0/8"}} {
		t.Run(name, func(t *testing.T) {
			e := testEngine(t)
			before := e.Snapshot().State.Seq
			var logs syncBuffer
			l := startListenerLog(t, e, slog.New(slog.NewTextHandler(&logs, nil)), allow...)
			send := client(t, l)
			send(encode(t, "/phatdong/next"))
			send(encode(t, "/phatdong/blackout", true))
			waitTotal(t, l, 2)
			if n := strings.Count(logs.String(), "refused a sender"); n != 1 {
				t.Errorf("the refused sender was logged %d times, want once:\n%s", n, logs.String())
			}
			if got := testutil.ToFloat64(l.counts.WithLabelValues(OutcomeSender)); got != 2 {
				t.Fatalf("refused-sender = %v, want 2", got)
			}
			if seq := e.Snapshot().State.Seq; seq != before {
				t.Fatalf("seq moved from %d to %d: a refused sender changed the show", before, seq)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the listener's goroutine and the
// test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
