package display

// The harness of the link.js tests (linkjs_test.go, linkjs_remaining_test.go):
// a scripted websocket server and a tab showing testdata/link.html.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// linkFake is a scripted server for static/js/link.js: it serves
// testdata/link.html and the scripts, answers time requests with its clock
// set offset ms ahead, and hands every other message to the test.
type linkFake struct {
	srv    *httptest.Server
	offset float64
	conns  chan *linkConn
	// refuse, while positive, answers that many handshakes with 503.
	mu      sync.Mutex
	refuse  int
	dialsAt []time.Time
}

// linkConn is one websocket connection to a linkFake.
type linkConn struct {
	ws *websocket.Conn
	in chan map[string]any
	mu sync.Mutex
}

func newLinkFake(t *testing.T, offset float64) *linkFake {
	f := &linkFake{offset: offset, conns: make(chan *linkConn, 8)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/link.html") })
	mux.Handle("/js/", http.FileServerFS(static.FS))
	mux.HandleFunc("/ws", f.serveWS)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// now is the fake server's clock in Unix ms.
func (f *linkFake) now() float64 { return float64(time.Now().UnixNano())/1e6 + f.offset }

// wsURL is the address of the fake's websocket.
func (f *linkFake) wsURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

func (f *linkFake) serveWS(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.dialsAt = append(f.dialsAt, time.Now())
	refuse := f.refuse > 0
	f.refuse--
	f.mu.Unlock()
	if refuse {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &linkConn{ws: ws, in: make(chan map[string]any, 64)}
	go c.read(f)
	f.conns <- c
}

// read answers time requests and queues every other message.
func (c *linkConn) read(f *linkFake) {
	defer close(c.in)
	for {
		var msg map[string]any
		if err := c.ws.ReadJSON(&msg); err != nil {
			return
		}
		if msg["type"] == "time" {
			now := f.now()
			c.send(map[string]any{"type": "time", "t0": msg["t0"], "t1": now, "t2": now})
			continue
		}
		c.in <- msg
	}
}

func (c *linkConn) send(v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ws.WriteJSON(v)
}

// next is the next message that is not a time request.
func (c *linkConn) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case msg, ok := <-c.in:
		if !ok {
			t.Fatal("the link closed the connection")
		}
		return msg
	case <-time.After(8 * time.Second):
		t.Fatal("no message from the link within 8 s")
	}
	return nil
}

// accept waits for the link to connect, and checks its hello.
func (f *linkFake) accept(t *testing.T, role string) *linkConn {
	t.Helper()
	select {
	case c := <-f.conns:
		if hello := c.next(t); hello["type"] != "hello" || hello["role"] != role {
			t.Fatalf("first message is %v, want a hello as %s", hello, role)
		}
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("the link did not connect within 5 s")
	}
	return nil
}

// welcome greets the link and sends it a state with sequence seq.
func (f *linkFake) welcome(c *linkConn, seq int) {
	c.send(map[string]any{"type": "welcome", "clientId": "c1", "role": "operator", "serverTime": f.now()})
	c.send(linkState(seq, f.now(), controller.Launch{Phase: controller.LaunchIdle}))
}

func linkState(seq int, now float64, l controller.Launch) map[string]any {
	v := controller.View{Seq: uint64(seq), Show: controller.ShowInfo{Caption: "PHÁT ĐỘNG"}, Launch: l}
	return map[string]any{"type": "state", "serverTime": now, "state": v}
}

// linkTab is a tab showing testdata/link.html.
type linkTab struct{ ctx context.Context }

// linkPage opens testdata/link.html of f in a new tab.
func linkPage(t *testing.T, browser context.Context, f *linkFake) linkTab {
	t.Helper()
	tab := linkTab{browsertest.NewTab(t, browser)}
	if err := chromedp.Do(tab.ctx, chromedp.Navigate(f.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	tab.wait(t, "window.__ready === true", 5*time.Second)
	return tab
}

// run runs a script in the page.
func (tab linkTab) run(t *testing.T, js string) {
	t.Helper()
	if err := chromedp.Do(tab.ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

// events is what the page recorded so far.
func (tab linkTab) events(t *testing.T) [][]any {
	t.Helper()
	ev, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[][]any]("window.__events"))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// wait polls a JavaScript condition until it holds.
func (tab linkTab) wait(t *testing.T, cond string, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		ok, err := chromedp.Run(tab.ctx, chromedp.Evaluate[bool]("Boolean("+cond+")"))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is still false after %v; events: %v", cond, timeout, tab.events(t))
		}
	}
}

// waitEvent waits for an event whose first fields are want, and returns it.
func (tab linkTab) waitEvent(t *testing.T, timeout time.Duration, want ...any) []any {
	t.Helper()
	js, _ := json.Marshal(want)
	tab.wait(t, fmt.Sprintf("window.__events.some((e) => %s.every((w, i) => JSON.stringify(w) === JSON.stringify(e[i])))", js), timeout)
	for _, e := range tab.events(t) {
		if len(e) >= len(want) {
			if head, _ := json.Marshal(e[:len(want)]); string(head) == string(js) {
				return e
			}
		}
	}
	t.Fatalf("event %v vanished", want)
	return nil
}

// linkKind returns the events whose first field is kind.
func linkKind(events [][]any, kind string) [][]any {
	var out [][]any
	for _, e := range events {
		if e[0] == kind {
			out = append(out, e)
		}
	}
	return out
}
