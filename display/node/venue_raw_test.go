package node_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// rogueVenue speaks the leaf protocol itself with a valid venue key and
// ignores the permissions the province sends back: what the province's
// node lets through is then the province's own enforcement.
type rogueVenue struct {
	conn net.Conn
	r    *bufio.Reader
}

func dialRogue(t *testing.T, addr, user, pass string) *rogueVenue {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A guard against a hung test, not a measure of speed.
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	r := &rogueVenue{conn: conn, r: bufio.NewReader(conn)}
	if line := r.line(t); !strings.HasPrefix(line, "INFO ") {
		t.Fatalf("first line %q, want INFO", line)
	}
	r.send(t, `CONNECT {"user":"`+user+`","pass":"`+pass+`","name":"rogue","headers":true}`+"\r\nPING\r\n")
	return r
}

func (r *rogueVenue) send(t *testing.T, s string) {
	t.Helper()
	if _, err := r.conn.Write([]byte(s)); err != nil {
		t.Fatalf("send %q: %v", s, err)
	}
}

// line is the next protocol line, "" once the province closed the link.
func (r *rogueVenue) line(t *testing.T) string {
	t.Helper()
	s, err := r.r.ReadString('\n')
	if err != nil && s == "" {
		return ""
	}
	return strings.TrimRight(s, "\r\n")
}

// until reads lines until one starts with prefix or the link closes; it
// returns the lines read.
func (r *rogueVenue) until(t *testing.T, prefix string) []string {
	t.Helper()
	var lines []string
	for {
		l := r.line(t)
		if l == "" {
			return lines
		}
		lines = append(lines, l)
		if strings.HasPrefix(l, prefix) {
			return lines
		}
		if l == "PING" {
			r.send(t, "PONG\r\n")
		}
	}
}

func TestTheProvinceItselfConfinesAVenueLink(t *testing.T) {
	tests := []struct {
		name string
		send string // after the handshake
		err  string // the province's error before it closes the link
	}{
		{"interest in the pair's subjects", "LS+ phatdong.pair.primary\r\n", `Permissions Violation for Subscription to "phatdong.pair.primary"`},
		{"interest in another's inbox", "LS+ _INBOX.other.x\r\n", `Permissions Violation for Subscription to "_INBOX.other.x"`},
		{"interest in another venue's inbox", "LS+ _INBOX.venue.hall-2.x\r\n", `Permissions Violation for Subscription to "_INBOX.venue.hall-2.x"`},
		{"a command", "LMSG phatdong.command 2\r\nhi\r\n", `Permissions Violation for Publish to "phatdong.command"`},
		{"another venue's request", "LMSG phatdong.venue.hall-2.status 2\r\nhi\r\n", `Permissions Violation for Publish to "phatdong.venue.hall-2.status"`},
		{"the standby's journal", "LMSG phatdong.standby.journal 2\r\nhi\r\n", `Permissions Violation for Publish to "phatdong.standby.journal"`},
	}
	province := startProvince(t, newBook("hall-1:s1"))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := dialRogue(t, province.LeafAddr().String(), "hall-1", "s1")
			r.until(t, "PONG")
			r.send(t, tc.send)
			lines := r.until(t, "-ERR")
			if len(lines) == 0 || !strings.Contains(lines[len(lines)-1], tc.err) {
				t.Fatalf("the province answered %q, want an error %s", lines, tc.err)
			}
			if l := r.until(t, "-ERR"); len(l) != 0 {
				t.Fatalf("after the error the province sent %q, want the link closed", l)
			}
		})
	}
}

func TestARogueVenueGetsTheProvincesMessages(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1"))
	r := dialRogue(t, province.LeafAddr().String(), "hall-1", "s1")
	r.until(t, "PONG")
	r.send(t, "LS+ phatdong.province.state\r\nLS+ _INBOX.venue.hall-1.x\r\nPING\r\n")
	r.until(t, "PONG") // the subscriptions are in place
	pc := connect(t, province.Connect)
	for _, s := range []string{"phatdong.province.state", "_INBOX.venue.hall-1.x"} {
		if err := pc.Publish(s, []byte("hi")); err != nil {
			t.Fatal(err)
		}
		if lines := r.until(t, "LMSG "+s); len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], "LMSG "+s) {
			t.Fatalf("the rogue venue read %q, want %s", lines, s)
		}
	}
}

func TestARogueWithAWrongKeyIsRefused(t *testing.T) {
	province := startProvince(t, newBook("hall-1:s1"))
	r := dialRogue(t, province.LeafAddr().String(), "hall-1", "s2")
	lines := r.until(t, "-ERR")
	if len(lines) == 0 || !strings.Contains(lines[len(lines)-1], "Authorization Violation") {
		t.Fatalf("the province answered %q, want an authorization error", lines)
	}
}
