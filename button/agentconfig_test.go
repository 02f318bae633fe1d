package button

import "testing"

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
