package button_test

import (
	"fmt"

	"github.com/phatdong/phatdong/button"
	"github.com/phatdong/phatdong/protocol"
)

// cmd/phatdong-button loads the configuration from a file, the
// environment and flags; Normalize then fills in the defaults and
// canonical forms, and Validate checks it.
func ExampleAgentConfig_Normalize() {
	cfg, err := button.AgentConfig{Server: "http://10.0.0.2:8080", Key: "6f1c2a", ButtonID: "nut-1",
		Name: "Nút 1 – Chủ tịch UBND tỉnh", LEDPin: "27"}.Normalize()
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Server)
	fmt.Println(cfg.ButtonID, cfg.Name)
	fmt.Println(cfg.Pin, cfg.LEDPin, cfg.MaxAge)
	// Output:
	// ws://10.0.0.2:8080/ws
	// nut-1 Nút 1 – Chủ tịch UBND tỉnh
	// GPIO17 GPIO27 3s
}

// The LED follows the launch: two leaders are required, nut-2 has pressed.
func ExampleLaunchLight() {
	l := protocol.Launch{Phase: protocol.LaunchArmed, Required: 2,
		Presses: []protocol.Press{{Button: "nut-2", PressID: "nut-2-1744600000123-7f2a-1"}}}
	fmt.Println("nut-1:", button.LaunchLight(l, "nut-1"))
	fmt.Println("nut-2:", button.LaunchLight(l, "nut-2"))
	// Output:
	// nut-1: slow blink
	// nut-2: solid
}
