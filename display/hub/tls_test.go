package hub

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestBroadcastOverTLS: a socket behind TLS has no direct writer, even
// when direct writes are asked for, and gets every broadcast through its
// writer goroutine, in order, next to a plain one.
func TestBroadcastOverTLS(t *testing.T) {
	h := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}) // direct writes where there are
	t.Cleanup(h.Close)
	up := websocket.Upgrader{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		name := r.URL.Query().Get("name")
		if _, err := h.Attach(conn, func(*Client) any { return name }); err != nil && err != ErrClosed {
			t.Errorf("attach: %v", err)
		}
	})
	secure := httptest.NewTLSServer(handler)
	t.Cleanup(secure.Close)
	plain := httptest.NewServer(handler)
	t.Cleanup(plain.Close)

	roots := x509.NewCertPool()
	roots.AddCert(secure.Certificate())
	dial := func(base, name string, d *websocket.Dialer) *websocket.Conn {
		n := h.Len()
		conn, _, err := d.DialContext(context.Background(), base+"/?name="+name, nil)
		if err != nil {
			t.Fatalf("dial %s: %v", name, err)
		}
		t.Cleanup(func() { conn.Close() })
		eventually(t, "the hub to attach "+name, func() bool { return h.Len() > n })
		return conn
	}
	tlsConn := dial("wss"+strings.TrimPrefix(secure.URL, "https"), "tls",
		&websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}})
	plainConn := dial("ws"+strings.TrimPrefix(plain.URL, "http"), "plain", websocket.DefaultDialer)

	for _, c := range h.Clients() {
		if _, isTLS := c.conn.NetConn().(*tls.Conn); isTLS != (c.Data == "tls") {
			t.Fatalf("%s: the server side is %T", c.Data, c.conn.NetConn())
		}
		if c.Data == "tls" && c.direct != nil {
			t.Fatal("a TLS socket got a direct writer: it would write clear text under TLS")
		}
		if c.Data == "plain" && directWrites && c.direct == nil {
			t.Fatal("the plain socket has no direct writer: the test compares nothing")
		}
	}
	msgs := []string{"một", "hai", strings.Repeat("ba ", 40_000)} // the last is larger than a TLS record
	for _, m := range msgs {
		if n := h.Broadcast(Item{Frame: frame(t, m)}, nil); n != 2 {
			t.Fatalf("broadcast to %d sockets, want 2", n)
		}
	}
	for name, conn := range map[string]*websocket.Conn{"tls": tlsConn, "plain": plainConn} {
		for _, want := range msgs {
			if got, err := readText(t, conn); err != nil || got != want {
				t.Fatalf("%s read %.20q, %v; want %.20q", name, got, err, want)
			}
		}
	}
}
