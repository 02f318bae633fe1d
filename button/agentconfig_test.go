package button

import (
	"strings"
	"testing"
)

func TestWebsocketURL(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.2:8080":           "ws://10.0.0.2:8080/ws",
		"http://10.0.0.2:8080":    "ws://10.0.0.2:8080/ws",
		"http://10.0.0.2:8080/":   "ws://10.0.0.2:8080/ws",
		"https://show.example":    "wss://show.example/ws",
		"ws://h:1/ws":             "ws://h:1/ws",
		" wss://h/phatdong/ws ":   "wss://h/phatdong/ws",
		"ws://[fe80::1%25eth0]:8": "ws://[fe80::1%25eth0]:8/ws",
	} {
		got, err := websocketURL(in)
		if err != nil || got != want {
			t.Errorf("websocketURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPinName(t *testing.T) {
	for in, want := range map[string]string{"": "", "17": "GPIO17", " gpio27 ": "GPIO27", "GPIO5": "GPIO5", "P1_11": "P1_11"} {
		if got := pinName(in); got != want {
			t.Errorf("pinName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeNameNFC(t *testing.T) {
	decomposed := "Nu\u0301t 1" // "Nút 1" with a combining acute accent
	c, err := AgentConfig{Server: "h:1", Key: "k", ButtonID: "nut-1", Name: decomposed}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Nút 1" {
		t.Errorf("name %q, want it in NFC", c.Name)
	}
}

func TestStandbySetting(t *testing.T) {
	for _, tc := range []struct {
		server, standby string
		want            string // the standby normalized; "" with an error
		err             string // part of the error from Normalize or Validate
	}{
		{"ws://10.0.0.11:8080/ws", "", "", ""},
		{"ws://10.0.0.11:8080/ws", "10.0.0.12:8080", "ws://10.0.0.12:8080/ws", ""},
		{"wss://10.0.0.11:8443/ws", "10.0.0.12:8443", "wss://10.0.0.12:8443/ws", ""},
		{"https://show.local", "https://b.local", "wss://b.local/ws", ""},
		{"wss://10.0.0.11:8443/ws", "ws://10.0.0.12:8080/ws", "", "must both be ws:// or both wss://"},
		{"ws://10.0.0.11:8080/ws", "http://10.0.0.11:8080", "", "is the server itself"},
		{"ws://10.0.0.11:8080/ws", "ftp://b", "", "standby \"ftp://b\": the scheme"},
	} {
		c, err := AgentConfig{Server: tc.server, Standby: tc.standby, Key: "k", ButtonID: "nut-1"}.Normalize()
		if err == nil {
			err = c.Validate()
		}
		switch {
		case tc.err == "" && (err != nil || c.Standby != tc.want):
			t.Errorf("server %q, standby %q: got %q, %v; want %q", tc.server, tc.standby, c.Standby, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("server %q, standby %q: error %v, want one saying %q", tc.server, tc.standby, err, tc.err)
		}
	}
}
