package button

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Defaults of WebsocketDialer. The agent must notice a dead server within a
// few seconds, so that its LED says so and a press is resent while it is
// still young: it pings every second and gives the link up after 2.5 s
// without hearing anything.
const (
	DefaultHandshakeTimeout = 2 * time.Second
	DefaultPingPeriod       = time.Second
	DefaultDeadAfter        = 2500 * time.Millisecond
	// writeWait bounds one write; a LAN write that takes longer means the
	// link is dead.
	writeWait = time.Second
	// maxMessage bounds one message from the server (a state is a few KiB).
	maxMessage = 1 << 20
)

// WebsocketDialer dials the server's websocket endpoint with
// gorilla/websocket and keeps each link alive with pings. A zero field takes
// its default.
type WebsocketDialer struct {
	HandshakeTimeout time.Duration
	PingPeriod       time.Duration
	// DeadAfter is how long a link may stay silent (no message, no pong)
	// before Read fails.
	DeadAfter time.Duration
	// RootCAs, when set, are the only CAs a wss:// server's certificate
	// may chain to (ReadCAFile reads the server's ca.pem); nil means the
	// system's.
	RootCAs *x509.CertPool
}

// Dial opens a link to url (ws:// or wss://).
func (d WebsocketDialer) Dial(ctx context.Context, url string) (Link, error) {
	hs := d.HandshakeTimeout
	if hs <= 0 {
		hs = DefaultHandshakeTimeout
	}
	dialer := websocket.Dialer{HandshakeTimeout: hs, ReadBufferSize: 4096, WriteBufferSize: 1024}
	if d.RootCAs != nil {
		dialer.TLSClientConfig = &tls.Config{RootCAs: d.RootCAs, MinVersion: tls.VersionTLS12}
	}
	conn, resp, err := dialer.DialContext(ctx, url, nil)
	if err != nil {
		if cert := certificateProblem(err); cert != "" {
			return nil, fmt.Errorf("button: dial %s: %s: %w", url, cert, err)
		}
		if resp != nil {
			return nil, fmt.Errorf("button: dial %s: %w (HTTP %s)", url, err, resp.Status)
		}
		return nil, fmt.Errorf("button: dial %s: %w", url, err)
	}
	l := &wsLink{conn: conn, ping: d.PingPeriod, dead: d.DeadAfter, stop: make(chan struct{})}
	if l.ping <= 0 {
		l.ping = DefaultPingPeriod
	}
	if l.dead <= 0 {
		l.dead = DefaultDeadAfter
	}
	conn.SetReadLimit(maxMessage)
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(l.dead))
	})
	go l.pinger()
	return l, nil
}

// wsLink is a Link over a gorilla websocket connection.
type wsLink struct {
	conn       *websocket.Conn
	ping, dead time.Duration
	stop       chan struct{}
	once       sync.Once
	// failed is set once a read, a write or a ping failed: Close then
	// aborts the connection instead of saying goodbye.
	failed atomic.Bool
}

// Read returns the next text message; it fails when nothing, not even a
// pong, arrived for DeadAfter.
func (l *wsLink) Read() ([]byte, error) {
	for {
		if err := l.conn.SetReadDeadline(time.Now().Add(l.dead)); err != nil {
			return nil, err
		}
		kind, msg, err := l.conn.ReadMessage()
		if err != nil {
			l.failed.Store(true)
			return nil, err
		}
		if kind == websocket.TextMessage {
			return msg, nil
		}
	}
}

// Write sends msg as one text message.
func (l *wsLink) Write(msg []byte) error {
	if err := l.conn.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
		return err
	}
	err := l.conn.WriteMessage(websocket.TextMessage, msg)
	if err != nil {
		l.failed.Store(true)
	}
	return err
}

// Close says goodbye, if it can do so at once, and closes the connection.
// A link that failed (found dead, or a write failed) is aborted instead:
// closed with an RST, which makes the kernel drop what it has not yet
// delivered. Closed with a FIN, it would go on sending it for minutes, and
// a press the agent has given up on (older than MaxAge, logged as dropped)
// would reach the server when the network comes back, and fire the launch
// late.
func (l *wsLink) Close() error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		if l.failed.Load() {
			err = l.abort()
			return
		}
		bye := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		_ = l.conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(100*time.Millisecond))
		err = l.conn.Close()
	})
	return err
}

// abort closes the connection with an RST (SO_LINGER 0), discarding what
// the kernel still holds to send.
func (l *wsLink) abort() error {
	nc := l.conn.NetConn()
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if tcp, ok := nc.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	return l.conn.Close()
}

// pinger pings every PingPeriod until the link is closed. WriteControl may
// run concurrently with Write.
func (l *wsLink) pinger() {
	t := time.NewTicker(l.ping)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			if err := l.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				l.failed.Store(true)
				_ = l.abort() // Read fails and the agent reconnects
				return
			}
		}
	}
}
