package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigRelay(t *testing.T) {
	path := writeFile(t, "server = 10.0.0.2:8080\nkey = k\nbutton = nut-1\n"+
		"relay_pin = 22\nrelay_ms = 800\nrelay_active_low = yes\n")
	c, err := loadConfig([]string{"--config", path}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.RelayPin != "GPIO22" || c.RelayHold != 800*time.Millisecond || !c.RelayActiveLow {
		t.Fatalf("relay %q %v %v", c.RelayPin, c.RelayHold, c.RelayActiveLow)
	}
	c, err = loadConfig([]string{"--config", path, "--relay-ms", "250"}, env(map[string]string{"PHATDONG_RELAY_PIN": "GPIO23"}), io.Discard)
	if err != nil || c.RelayPin != "GPIO23" || c.RelayHold != 250*time.Millisecond {
		t.Fatalf("relay %q %v: %v", c.RelayPin, c.RelayHold, err)
	}
	for _, bad := range [][]string{{"--relay-ms", "1.5s"}, {"--relay-ms", "20"}, {"--relay-ms", "-1"}} {
		if _, err := loadConfig(append([]string{"--config", path}, bad...), env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "relay") {
			t.Errorf("%v: %v, want an error naming the relay", bad, err)
		}
	}
}
