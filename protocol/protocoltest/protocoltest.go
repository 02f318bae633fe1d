// Package protocoltest is a websocket client of the phatdong protocol for
// tests in other packages: dial, say hello, read the welcome, then read
// messages by type. It speaks the wire only (package protocol), so a test
// of the server, of the button agent or of a command-line tool checks
// what a real device would see.
//
//	c := protocoltest.Dial(t, "ws://"+addr+"/ws", protocoltest.Stage("Màn LED chính"))
//	var st protocol.StateMsg
//	c.Until(protocol.TypeState).Decode(t, &st)
//
// Connect and Next return errors instead of failing a test, for goroutines
// that must not call t.Fatal.
package protocoltest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/protocol"
)

// Wait is how long a read waits for the next message before it fails.
const Wait = 5 * time.Second

// Msg is one message from the server: its type and its JSON.
type Msg struct {
	Type string
	Data []byte
}

// Decode unmarshals the message into v, failing the test if it does not
// decode.
func (m Msg) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(m.Data, v); err != nil {
		tb.Fatalf("protocoltest: decode %s message %s: %v", m.Type, m.Data, err)
	}
}

// Stage is the hello of a stage screen called name.
func Stage(name string) protocol.HelloMsg {
	return protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleStage, Name: name}
}

// Connect dials url (ws://…/ws), sends hello and reads the welcome, which
// must be the first message. The caller closes the connection.
func Connect(url string, hello protocol.HelloMsg) (*websocket.Conn, protocol.WelcomeMsg, error) {
	var w protocol.WelcomeMsg
	hello.Type = protocol.TypeHello
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return nil, w, fmt.Errorf("protocoltest: dial %s: %w", url, err)
	}
	if err := conn.WriteJSON(hello); err != nil {
		conn.Close()
		return nil, w, fmt.Errorf("protocoltest: send the hello: %w", err)
	}
	m, err := next(conn, Wait)
	if err == nil && m.Type != protocol.TypeWelcome {
		err = fmt.Errorf("got a %s message, want the welcome: %s", m.Type, m.Data)
	}
	if err == nil {
		err = json.Unmarshal(m.Data, &w)
	}
	if err != nil {
		conn.Close()
		return nil, w, fmt.Errorf("protocoltest: hello as %s: %w", hello.Role, err)
	}
	return conn, w, nil
}

// Next reads the next message from conn, waiting at most wait.
func Next(conn *websocket.Conn, wait time.Duration) (Msg, error) {
	m, err := next(conn, wait)
	if err != nil {
		return m, fmt.Errorf("protocoltest: %w", err)
	}
	return m, nil
}

// next is Next with errors that do not name the package.
func next(conn *websocket.Conn, wait time.Duration) (Msg, error) {
	if err := conn.SetReadDeadline(time.Now().Add(wait)); err != nil {
		return Msg{}, err
	}
	_, data, err := conn.ReadMessage()
	if err != nil {
		return Msg{}, fmt.Errorf("read: %w", err)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Msg{}, fmt.Errorf("decode %s: %w", data, err)
	}
	if head.Type == "" {
		return Msg{}, errors.New("a message without a type: " + string(data))
	}
	return Msg{Type: head.Type, Data: data}, nil
}

// Conn is a device connected for the length of a test.
type Conn struct {
	// WS is the websocket, for what the helpers do not cover. One
	// goroutine at a time may read it.
	WS *websocket.Conn
	// Welcome is the server's answer to the hello.
	Welcome protocol.WelcomeMsg

	tb testing.TB
}

// Dial is Connect for a test: it fails the test on error and closes the
// socket when the test ends.
func Dial(tb testing.TB, url string, hello protocol.HelloMsg) *Conn {
	tb.Helper()
	ws, w, err := Connect(url, hello)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ws.Close() })
	return &Conn{WS: ws, Welcome: w, tb: tb}
}

// Send writes v as one JSON message.
func (c *Conn) Send(v any) {
	c.tb.Helper()
	if err := c.WS.WriteJSON(v); err != nil {
		c.tb.Fatalf("protocoltest: send: %v", err)
	}
}

// Read returns the next message, failing the test after Wait.
func (c *Conn) Read() Msg {
	c.tb.Helper()
	m, err := Next(c.WS, Wait)
	if err != nil {
		c.tb.Fatal(err)
	}
	return m
}

// Until reads until a message of type typ and returns it; each read may
// wait up to Wait.
func (c *Conn) Until(typ string) Msg {
	c.tb.Helper()
	for {
		if m := c.Read(); m.Type == typ {
			return m
		}
	}
}
