package protocoltest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/protocol"
)

// fakeServer answers a hello with the given messages, in order, and
// returns the hello it read on got.
func fakeServer(t *testing.T, got chan<- protocol.HelloMsg, replies ...string) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var h protocol.HelloMsg
		if err := conn.ReadJSON(&h); err != nil {
			return
		}
		got <- h
		for _, m := range replies {
			if err := conn.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
				return
			}
		}
		for { // until the client goes
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestDialReadsWelcomeThenUntilSkipsToType(t *testing.T) {
	got := make(chan protocol.HelloMsg, 1)
	url := fakeServer(t, got,
		`{"type":"welcome","clientId":"c7","role":"stage","name":"Màn","serverTime":1}`,
		`{"type":"time","t0":1,"t1":2,"t2":3}`,
		`{"type":"state","serverTime":2,"state":{"seq":9,"showRev":1}}`,
	)
	c := Dial(t, url, protocol.HelloMsg{Role: protocol.RoleStage, Name: "Màn"}) // Type filled in
	if h := <-got; h.Type != protocol.TypeHello || h.Role != protocol.RoleStage || h.Name != "Màn" {
		t.Errorf("the server read hello %+v", h)
	}
	if c.Welcome.ClientID != "c7" {
		t.Errorf("welcome %+v, want client c7", c.Welcome)
	}
	var st protocol.StateMsg
	c.Until(protocol.TypeState).Decode(t, &st)
	if st.State.Seq != 9 {
		t.Errorf("state seq %d, want 9", st.State.Seq)
	}
}

func TestConnectRefusesWhatIsNotAWelcome(t *testing.T) {
	cases := []struct {
		name, first, want string
	}{
		{"an error", `{"type":"error","error":{"code":"unauthorized","message":"no"}}`, "got a error message, want the welcome"},
		{"no type", `{"hello":1}`, "a message without a type"},
		{"not JSON", `nope`, "decode nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := fakeServer(t, make(chan protocol.HelloMsg, 1), tc.first)
			conn, _, err := Connect(url, Stage("Màn"))
			if err == nil {
				conn.Close()
				t.Fatal("connected, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "protocoltest: ") {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
}
