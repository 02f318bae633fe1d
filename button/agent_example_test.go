package button_test

import (
	"fmt"
	"os"

	"github.com/phatdong/phatdong/button"
	"github.com/phatdong/phatdong/protocol"
)

// The agent's configuration comes from a file, the environment and flags,
// each overriding the one before; the result is normalized.
func ExampleLoadAgentConfig() {
	env := map[string]string{
		"PHATDONG_SERVER":      "http://10.0.0.2:8080",
		"PHATDONG_BUTTON_KEY":  "6f1c2a",
		"PHATDONG_BUTTON_NAME": "Nút 1 – Chủ tịch UBND tỉnh",
	}
	cfg, err := button.LoadAgentConfig([]string{"--button", "nut-1", "--led", "27"},
		func(k string) string { return env[k] }, os.Stderr)
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
