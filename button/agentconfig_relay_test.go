package button

import (
	"strings"
	"testing"
	"time"
)

func TestRelayConfigValidate(t *testing.T) {
	base := AgentConfig{Server: "ws://10.0.0.2:8080/ws", Key: "k", ButtonID: "nut-1", LEDPin: "GPIO27"}
	tests := []struct {
		name    string
		edit    func(*AgentConfig)
		wantErr string
	}{
		{"none", func(*AgentConfig) {}, ""},
		{"a relay", func(c *AgentConfig) { c.RelayPin, c.RelayHold, c.RelayActiveLow = "22", time.Second, true }, ""},
		{"hold without pin", func(c *AgentConfig) { c.RelayHold = time.Second }, "need relay_pin"},
		{"on the input pin", func(c *AgentConfig) { c.RelayPin = "GPIO17" }, "also the input or the LED"},
		{"on the LED pin", func(c *AgentConfig) { c.RelayPin = "gpio27" }, "also the input or the LED"},
		{"hold too short", func(c *AgentConfig) { c.RelayPin, c.RelayHold = "GPIO22", time.Millisecond }, "relay_ms"},
		{"hold too long", func(c *AgentConfig) { c.RelayPin, c.RelayHold = "GPIO22", time.Minute }, "relay_ms"},
		{"simulated", func(c *AgentConfig) { c.RelayPin, c.Simulate = "GPIO22", true }, "simulate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.edit(&c)
			c, err := c.Normalize()
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
