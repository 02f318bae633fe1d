package button

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

// ServerAuto is the AgentConfig.Server that finds the server on the LAN by
// mDNS (issue #17) instead of naming it.
const ServerAuto = "auto"

// Discovery timings.
const (
	// DiscoverTimeout is how long one browse listens for answers.
	DiscoverTimeout = 2 * time.Second
	// DiscoverTries is how many browses find no primary before the agent
	// takes AgentConfig.ServerFallback, when one is set.
	DiscoverTries = 3
	// discoverPause is the pause between two browses.
	discoverPause = time.Second
)

// BrowseFunc asks the LAN for the phatdong servers (dnssd.FindPrimary).
type BrowseFunc func(ctx context.Context, timeout time.Duration) ([]dnssd.Record, error)

// Auto reports whether c finds its server by mDNS.
func (c AgentConfig) Auto() bool { return c.Server == ServerAuto }

// Discover resolves a server of "auto": it browses until a primary
// answers, and returns c with Server set to the primary's websocket URL
// (and Standby to the standby's, when one answers and none is set). After
// DiscoverTries browses without a primary it takes ServerFallback, if
// set; without one it browses on until ctx ends. A c that names its
// server is returned as it is. browse nil is dnssd.FindPrimary.
func (c AgentConfig) Discover(ctx context.Context, browse BrowseFunc, log *slog.Logger) (AgentConfig, error) {
	return c.discover(ctx, browse, log, time.After)
}

// discover is Discover with the pause between browses from after.
func (c AgentConfig) discover(ctx context.Context, browse BrowseFunc, log *slog.Logger, after func(time.Duration) <-chan time.Time) (AgentConfig, error) {
	if !c.Auto() {
		return c, nil
	}
	if browse == nil {
		browse = dnssd.FindPrimary
	}
	if log == nil {
		log = slog.Default()
	}
	for try := 1; ; try++ {
		records, err := browse(ctx, DiscoverTimeout)
		if ctx.Err() != nil {
			return c, fmt.Errorf("button: discover the server: %w", ctx.Err())
		}
		if p, ok := dnssd.Primary(records); ok {
			return c.found(p, records, log)
		}
		if err != nil {
			log.Warn("button: discover: mDNS browse failed", "err", err)
		}
		if try >= DiscoverTries && c.ServerFallback != "" {
			log.Warn("button: discover: no server answered on the LAN; using server_fallback", "tries", try, "server", c.ServerFallback)
			c.Server = c.ServerFallback
			return c.checked()
		}
		if try%10 == 1 {
			log.Warn("button: discover: no phatdong server answers on the LAN yet; still looking", "answers", len(records), "tries", try)
		}
		select {
		case <-ctx.Done():
			return c, fmt.Errorf("button: discover the server: %w", ctx.Err())
		case <-after(discoverPause):
		}
	}
}

// found takes primary p (and the standby among records) as the servers.
func (c AgentConfig) found(p dnssd.Record, records []dnssd.Record, log *slog.Logger) (AgentConfig, error) {
	c.Server = p.WebsocketURL()
	if s, ok := dnssd.Standby(records); ok && c.Standby == "" && s.Scheme == p.Scheme {
		c.Standby = s.WebsocketURL()
	}
	log.Info("button: discover: found the server", "server", c.Server, "host", p.Host, "standby", c.Standby, "version", p.Version)
	return c.checked()
}

// checked normalizes and validates c once its server is known.
func (c AgentConfig) checked() (AgentConfig, error) {
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, errors.Join(errors.New("button: discover: the server found does not fit the configuration"), err)
	}
	return c, nil
}

// isAuto reports whether s asks for discovery.
func isAuto(s string) bool { return strings.EqualFold(strings.TrimSpace(s), ServerAuto) }
