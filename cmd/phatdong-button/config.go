package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/phatdong/phatdong/button"
)

// envConfig is the environment variable that names the configuration file
// when the --config flag does not.
const envConfig = "PHATDONG_CONFIG"

// setting is one setting of button.AgentConfig. The same key names it in the
// file; its flag is the key with '-' for '_'.
type setting struct {
	key, env, usage string
	set             func(c *button.AgentConfig, v string) error
	boolean         bool
}

// settings lists every setting, in the order of the usage text.
var settings = []setting{
	{key: "server", env: "PHATDONG_SERVER", usage: "the server, e.g. ws://10.0.0.2:8080/ws, or wss://… for one on HTTPS (http://, https:// and host:port work too); auto finds it on the LAN by mDNS",
		set: func(c *button.AgentConfig, v string) error { c.Server = v; return nil }},
	{key: "server_fallback", env: "PHATDONG_SERVER_FALLBACK", usage: "with server = auto: the server to use when none answers on the LAN, in the same forms as server",
		set: func(c *button.AgentConfig, v string) error { c.ServerFallback = v; return nil }},
	{key: "standby", env: "PHATDONG_STANDBY", usage: "the standby server of a pair, in the same forms as server (optional: the server's welcome names it too); the agent follows whichever is the primary",
		set: func(c *button.AgentConfig, v string) error { c.Standby = v; return nil }},
	{key: "ca", env: "PHATDONG_CA", usage: "the server's CA, a PEM file (its ca.pem from phatdong cert): a wss:// server is trusted by it alone",
		set: func(c *button.AgentConfig, v string) error { c.CA = v; return nil }},
	{key: "key", env: "PHATDONG_BUTTON_KEY", usage: "the server's button key (prefer the file or the environment: flags show in ps)",
		set: func(c *button.AgentConfig, v string) error { c.Key = v; return nil }},
	{key: "button", env: "PHATDONG_BUTTON_ID", usage: "this button's id, e.g. nut-1",
		set: func(c *button.AgentConfig, v string) error { c.ButtonID = v; return nil }},
	{key: "name", env: "PHATDONG_BUTTON_NAME", usage: "this button's name, e.g. \"Nút 1 – Chủ tịch UBND tỉnh\"",
		set: func(c *button.AgentConfig, v string) error { c.Name = v; return nil }},
	{key: "pin", env: "PHATDONG_PIN", usage: "the input pin (default " + button.DefaultInputPin + ", wired to GND through the button)",
		set: func(c *button.AgentConfig, v string) error { c.Pin = v; return nil }},
	{key: "led", env: "PHATDONG_LED", usage: "the LED pin, e.g. GPIO27 (default: no LED, states are logged)",
		set: func(c *button.AgentConfig, v string) error { c.LEDPin = v; return nil }},
	{key: "filter", env: "PHATDONG_FILTER", usage: "glitch filter: how long the line must stay pressed (default 5ms)",
		set: func(c *button.AgentConfig, v string) error { return parseDuration(v, &c.Filter) }},
	{key: "lockout", env: "PHATDONG_LOCKOUT", usage: "lockout after a press, against bounce (default 300ms)",
		set: func(c *button.AgentConfig, v string) error { return parseDuration(v, &c.Lockout) }},
	{key: "max_age", env: "PHATDONG_MAX_AGE", usage: "an unacknowledged press older than this is dropped, not resent (default 3s)",
		set: func(c *button.AgentConfig, v string) error { return parseDuration(v, &c.MaxAge) }},
	{key: "relay_pin", env: "PHATDONG_RELAY_PIN", usage: "an output that closes a relay at the launch's instant, e.g. GPIO22 (default: none); a dry contact only, see the deploy/pi README",
		set: func(c *button.AgentConfig, v string) error { c.RelayPin = v; return nil }},
	{key: "relay_ms", env: "PHATDONG_RELAY_MS", usage: "how long the relay stays closed, in milliseconds (default 500)",
		set: func(c *button.AgentConfig, v string) error { return parseMs(v, &c.RelayHold) }},
	{key: "relay_active_low", env: "PHATDONG_RELAY_ACTIVE_LOW", usage: "the relay board closes on a low level (most do)", boolean: true,
		set: func(c *button.AgentConfig, v string) error { return parseBool(v, &c.RelayActiveLow) }},
	{key: "simulate", env: "PHATDONG_SIMULATE", usage: "no GPIO: each line on standard input (Enter) is a press", boolean: true,
		set: func(c *button.AgentConfig, v string) error { return parseBool(v, &c.Simulate) }},
	{key: "debug", env: "PHATDONG_DEBUG", usage: "log at debug level", boolean: true,
		set: func(c *button.AgentConfig, v string) error { return parseBool(v, &c.Debug) }},
}

// loadConfig builds the agent's configuration from, by increasing
// precedence: the defaults, the configuration file (--config, or the file
// named by PHATDONG_CONFIG; see the deploy/pi README for its format), the
// environment (PHATDONG_*), and the flags in args. getenv reads the
// environment (os.Getenv); usage receives the help text for -h, when the
// error is flag.ErrHelp. The result is normalized and validated.
func loadConfig(args []string, getenv func(string) string, usage io.Writer) (button.AgentConfig, error) {
	fs := flag.NewFlagSet("phatdong-button", flag.ContinueOnError)
	fs.SetOutput(usage)
	type flagValue struct {
		s setting
		v string
	}
	var fromFlags []flagValue
	path := fs.String("config", "", "the configuration file, key = value lines (env "+envConfig+")")
	for _, s := range settings {
		name := strings.ReplaceAll(s.key, "_", "-")
		help := s.usage + " (env " + s.env + ")"
		record := func(v string) error {
			fromFlags = append(fromFlags, flagValue{s, v})
			return nil
		}
		if s.boolean {
			fs.BoolFunc(name, help, record)
		} else {
			fs.Func(name, help, record)
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong-button: the launch button agent of phatdong.\n\nUsage: phatdong-button [flags]\n"+
			"       phatdong-button discover [--primary] [--json] [--timeout 2s]   find the servers on the LAN (mDNS)\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return button.AgentConfig{}, err
	}
	if fs.NArg() > 0 {
		return button.AgentConfig{}, fmt.Errorf("config: unexpected argument %q (settings are flags, e.g. --server)", fs.Arg(0))
	}

	var c button.AgentConfig
	if *path == "" {
		*path = getenv(envConfig)
	}
	if *path != "" {
		if err := applyFile(&c, *path); err != nil {
			return c, err
		}
	}
	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			if err := s.set(&c, v); err != nil {
				return c, fmt.Errorf("config: environment %s: %w", s.env, err)
			}
		}
	}
	for _, f := range fromFlags {
		if err := f.s.set(&c, f.v); err != nil {
			return c, fmt.Errorf("config: flag --%s: %w", strings.ReplaceAll(f.s.key, "_", "-"), err)
		}
	}
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	return c, c.Validate()
}

// applyFile sets what the configuration file at path says.
func applyFile(c *button.AgentConfig, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	entries, err := parseConfigFile(data)
	if err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	var errs []error
next:
	for _, e := range entries {
		for _, s := range settings {
			if s.key == e.key {
				if err := s.set(c, e.value); err != nil {
					errs = append(errs, fmt.Errorf("config: %s:%d: %s: %w", path, e.line, e.key, err))
				}
				continue next
			}
		}
		errs = append(errs, fmt.Errorf("config: %s:%d: unknown setting %q (known: %s)", path, e.line, e.key, settingKeys()))
	}
	return errors.Join(errs...)
}

// settingKeys lists the keys of the file, for error messages.
func settingKeys() string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return strings.Join(keys, ", ")
}

// parseDuration reads a Go duration such as 5ms or 3s into d.
func parseDuration(v string, d *time.Duration) error {
	x, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 5ms or 3s", v)
	}
	*d = x
	return nil
}

// parseMs reads a whole number of milliseconds into d.
func parseMs(v string, d *time.Duration) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a whole number of milliseconds", v)
	}
	*d = time.Duration(n) * time.Millisecond
	return nil
}

// parseBool reads true/false, 1/0, yes/no or on/off into b.
func parseBool(v string, b *bool) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "on":
		*b = true
		return nil
	case "no", "off":
		*b = false
		return nil
	}
	x, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("%q is not true or false", v)
	}
	*b = x
	return nil
}
