package button

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Defaults and limits of AgentConfig.
const (
	// DefaultInputPin is the default AgentConfig.Pin: physical pin 11 on
	// the 40-pin header of every Raspberry Pi.
	DefaultInputPin = "GPIO17"
	// DefaultMaxAge is the default AgentConfig.MaxAge.
	DefaultMaxAge = 3 * time.Second
	// MaxMaxAge bounds AgentConfig.MaxAge: the server takes a press time
	// older than 10 s for a stale clock.
	MaxMaxAge = 10 * time.Second
	// MaxButtonIDLen bounds AgentConfig.ButtonID, which also goes into
	// every press id.
	MaxButtonIDLen = 64
	// MaxNameLen bounds AgentConfig.Name, in characters.
	MaxNameLen = 200
)

// buttonIDPattern is what a button id may look like: it names the button
// in the server's journal and in every press id.
var buttonIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// AgentConfig is everything the agent's operator sets: where the server
// is, who this button is, which pins it uses and how it filters presses.
// cmd/phatdong-button fills it from a file, the environment and flags.
type AgentConfig struct {
	// Server is the server's websocket URL, e.g. ws://10.0.0.2:8080/ws.
	// Normalize accepts http(s) URLs and a bare host:port too. ServerAuto
	// ("auto") finds it on the LAN by mDNS (Discover).
	Server string
	// ServerFallback is the server to use when Server is "auto" and no
	// server answers on the LAN; in the same forms as Server.
	ServerFallback string
	// Standby is the other server of a primary–standby pair (issue #14),
	// in the same forms as Server; empty when there is none or when the
	// server's welcome names it. The agent follows whichever of the two is
	// the primary of the highest epoch. Without a scheme it takes Server's.
	Standby string
	// Key is the server's button key. It is never logged.
	Key string
	// CA is a file with the CA the server's certificate chains to (the
	// server's ca.pem, see `phatdong cert`): a wss:// server is then
	// trusted by that CA only. Empty means the system's CAs.
	CA string
	// ButtonID names this button to the server; each distinct id counts
	// once toward the presses the launch requires.
	ButtonID string
	// Name is shown to the operator, e.g. "Nút 1 – Chủ tịch UBND tỉnh".
	// Empty means ButtonID.
	Name string
	// Pin is the input pin's name (default GPIO17); a bare number n means
	// GPIOn.
	Pin string
	// LEDPin is the LED pin's name, e.g. GPIO27; empty means no LED, and
	// the LED's states are only logged.
	LEDPin string
	// Filter and Lockout tune the input (see Config); zero means the
	// default.
	Filter  time.Duration
	Lockout time.Duration
	// MaxAge is how long a press not yet acknowledged may still be sent
	// after a reconnect; an older one is dropped and logged, because a
	// launch that fires seconds late is worse than a second press.
	// Default 3 s.
	MaxAge time.Duration
	// Simulate replaces the input pin with the keyboard: each line read
	// from standard input is a press. No GPIO is touched.
	Simulate bool
	// Debug logs at debug level.
	Debug bool
	// RelayPin is an output that closes a relay at the launch's instant
	// (see Relay), e.g. GPIO22; empty means none. RelayHold is how long
	// (0: DefaultRelayHold); RelayActiveLow closes it with a low level.
	RelayPin       string
	RelayHold      time.Duration
	RelayActiveLow bool
}

// Normalize returns c with its defaults filled in, the server URL in its
// canonical websocket form, the pin names in upper case and the name in
// Unicode NFC. It returns an error only for a server URL it cannot read.
func (c AgentConfig) Normalize() (AgentConfig, error) {
	c.ButtonID = strings.TrimSpace(c.ButtonID)
	c.CA = strings.TrimSpace(c.CA)
	c.Name = norm.NFC.String(strings.TrimSpace(c.Name))
	if c.Name == "" {
		c.Name = c.ButtonID
	}
	c.Pin = pinName(c.Pin)
	if c.Pin == "" {
		c.Pin = DefaultInputPin
	}
	c.LEDPin = pinName(c.LEDPin)
	c.RelayPin = pinName(c.RelayPin)
	if c.MaxAge == 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.ServerFallback = strings.TrimSpace(c.ServerFallback); c.ServerFallback != "" {
		u, err := settingURL("server_fallback", c.ServerFallback)
		if err != nil {
			return c, err
		}
		c.ServerFallback = u
	}
	if isAuto(c.Server) {
		c.Server = ServerAuto
	} else if c.Server != "" {
		u, err := websocketURL(c.Server)
		if err != nil {
			return c, err
		}
		c.Server = u
	}
	if c.Standby = strings.TrimSpace(c.Standby); c.Standby != "" {
		if !strings.Contains(c.Standby, "://") && strings.HasPrefix(c.Server, "wss://") {
			c.Standby = "wss://" + c.Standby
		}
		u, err := settingURL("standby", c.Standby)
		if err != nil {
			return c, err
		}
		c.Standby = u
	}
	return c, nil
}

// Validate reports every problem of c, which Normalize has filled in,
// joined in one error.
func (c AgentConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("button: config: "+format, args...))
	}
	if c.Server == "" {
		bad("no server: set server (e.g. ws://10.0.0.2:8080/ws)")
	}
	if c.Key == "" {
		bad("no button key: set key to the server's button key")
	}
	if c.CA != "" && (strings.HasPrefix(c.Server, "ws://") || c.Auto() && strings.HasPrefix(c.ServerFallback, "ws://")) {
		bad("ca is set but server %s is not encrypted: write wss:// (or https://)", c.Server)
	}
	if c.Standby != "" && c.Server != "" && !c.Auto() {
		switch {
		case c.Standby == c.Server:
			bad("standby %s is the server itself: give the other laptop's address", c.Standby)
		case scheme(c.Standby) != scheme(c.Server):
			bad("server %s and standby %s must both be ws:// or both wss://", c.Server, c.Standby)
		}
	}
	switch {
	case c.ButtonID == "":
		bad("no button id: set button (e.g. nut-1)")
	case len(c.ButtonID) > MaxButtonIDLen:
		bad("button id %q is longer than %d bytes", c.ButtonID, MaxButtonIDLen)
	case !buttonIDPattern.MatchString(c.ButtonID):
		bad("button id %q may only hold letters, digits, '.', '_' and '-', starting with a letter or digit", c.ButtonID)
	}
	if n := utf8.RuneCountInString(c.Name); n > MaxNameLen {
		bad("name is %d characters long, at most %d are allowed", n, MaxNameLen)
	}
	if strings.IndexFunc(c.Name, unicode.IsControl) >= 0 {
		bad("name %q contains control characters", c.Name)
	}
	if c.LEDPin != "" && c.LEDPin == c.Pin {
		bad("the LED pin and the input pin are both %s", c.Pin)
	}
	errs = append(errs, c.validateRelay()...)
	if c.MaxAge < 0 || c.MaxAge > MaxMaxAge {
		bad("max age is %s: it must be between 0 and %s", c.MaxAge, MaxMaxAge)
	}
	if err := c.Input().Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Input returns the input's configuration: c's filter and lockout, every
// other field at its default.
func (c AgentConfig) Input() Config {
	return Config{Filter: c.Filter, Lockout: c.Lockout}
}

// pinName trims name, upper-cases it, and turns a bare number n into GPIOn.
func pinName(name string) string {
	name = strings.ToUpper(strings.TrimSpace(name))
	if name != "" && strings.Trim(name, "0123456789") == "" {
		return "GPIO" + name
	}
	return name
}

// scheme is the scheme of URL u, before "://".
func scheme(u string) string {
	s, _, _ := strings.Cut(u, "://")
	return s
}

// websocketURL turns what an operator may write for the server into the
// websocket URL: ws://host:port/ws. http and https become ws and wss, a
// bare host:port gets ws://, and an empty path gets /ws.
func websocketURL(s string) (string, error) { return settingURL("server", s) }

// settingURL is websocketURL for the setting named key, which its errors
// name.
func settingURL(key, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "ws://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("button: config: %s %q is not a URL: %w", key, s, err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("button: config: %s %q: the scheme must be ws, wss, http or https", key, s)
	}
	if u.Host == "" {
		return "", fmt.Errorf("button: config: %s %q has no host", key, s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("button: config: %s %q: no user, query or fragment, please (the key goes in key)", key, s)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/ws"
	}
	return u.String(), nil
}
