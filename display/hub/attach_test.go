package hub

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestAttachDataRunsOutsideTheHubsLock: Attach's data callback may wait
// for a lock that a caller of the hub holds. The server deadlocked when a
// screen connected during a broadcast: the broadcast held the display's
// lock and waited for the hub's, while Attach held the hub's and its data
// callback waited for the display's.
func TestAttachDataRunsOutsideTheHubsLock(t *testing.T) {
	h := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(h.Close)
	var outer sync.Mutex // the caller's own lock, as the display's
	inData := make(chan struct{})
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		_, _ = h.Attach(conn, func(*Client) any {
			close(inData)
			outer.Lock() // waits while the test holds it
			defer outer.Unlock()
			return "late"
		})
	}))
	t.Cleanup(srv.Close)

	outer.Lock()
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		outer.Unlock()
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	<-inData
	// Holding outer, the test calls the hub, as a broadcast does.
	done := make(chan int)
	go func() { done <- h.Len() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // a deadlock, not slowness: Len returns at once
		outer.Unlock() // lets the old code's Attach finish, so Close can run
		t.Fatal("the hub's lock is held while Attach's data callback waits")
	}
	outer.Unlock()
	eventually(t, "the socket to be attached", func() bool { return h.Len() == 1 })
	if c := h.Clients()[0]; c.Data != "late" {
		t.Fatalf("Data = %v", c.Data)
	}
}
