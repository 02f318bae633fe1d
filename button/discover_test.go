package button

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

// now is a pause that is already over.
func now(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c
}

func TestDiscover(t *testing.T) {
	primary := dnssd.Record{Instance: "phatdong-a-8080", Role: dnssd.RolePrimary, Scheme: "http", Addrs: []string{"10.0.0.2:8080"}}
	standby := dnssd.Record{Instance: "phatdong-b-8080", Role: dnssd.RoleStandby, Scheme: "http", Addrs: []string{"10.0.0.3:8080"}}
	hall := dnssd.Record{Instance: "phatdong-h-8080", Role: dnssd.RoleHall, Scheme: "http", Addrs: []string{"10.0.0.9:8080"}}
	base := AgentConfig{Server: "auto", Key: "button-key-123456", ButtonID: "nut-1"}
	withFallback := base
	withFallback.ServerFallback = "10.0.0.50:8080"
	tests := []struct {
		name        string
		cfg         AgentConfig
		answers     [][]dnssd.Record // one per browse; the last repeats
		wantServer  string
		wantStandby string
		wantTries   int
		err         string
	}{
		{name: "the primary at once", cfg: base, answers: [][]dnssd.Record{{primary}},
			wantServer: "ws://10.0.0.2:8080/ws", wantTries: 1},
		{name: "the primary and its standby", cfg: base, answers: [][]dnssd.Record{{standby, primary}},
			wantServer: "ws://10.0.0.2:8080/ws", wantStandby: "ws://10.0.0.3:8080/ws", wantTries: 1},
		{name: "a standby and a hall alone are not taken", cfg: base, answers: [][]dnssd.Record{{standby, hall}, {standby, hall}, {primary}},
			wantServer: "ws://10.0.0.2:8080/ws", wantTries: 3},
		{name: "nothing answers: the fallback after the tries", cfg: withFallback, answers: [][]dnssd.Record{nil},
			wantServer: "ws://10.0.0.50:8080/ws", wantTries: DiscoverTries},
		{name: "a named server is kept", cfg: AgentConfig{Server: "ws://10.0.0.7:8080/ws"}, wantServer: "ws://10.0.0.7:8080/ws", wantTries: 0},
		{name: "an https primary is wss", cfg: base, answers: [][]dnssd.Record{{{Instance: "x", Role: dnssd.RolePrimary, Scheme: "https", Addrs: []string{"10.0.0.2:8443"}}}},
			wantServer: "wss://10.0.0.2:8443/ws", wantTries: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tries := 0
			browse := func(ctx context.Context, timeout time.Duration) ([]dnssd.Record, error) {
				tries++
				return tt.answers[min(tries, len(tt.answers))-1], nil
			}
			got, err := tt.cfg.discover(context.Background(), browse, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
			if err != nil {
				t.Fatal(err)
			}
			if got.Server != tt.wantServer || got.Standby != tt.wantStandby || tries != tt.wantTries {
				t.Errorf("server %q standby %q after %d browses; want %q %q after %d", got.Server, got.Standby, tries, tt.wantServer, tt.wantStandby, tt.wantTries)
			}
		})
	}
}

func TestDiscoverWithoutFallbackLooksUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tries := 0
	browse := func(context.Context, time.Duration) ([]dnssd.Record, error) {
		tries++
		if tries == 20 {
			cancel()
		}
		return nil, errors.New("no multicast")
	}
	cfg := AgentConfig{Server: "auto", Key: "button-key-123456", ButtonID: "nut-1"}
	_, err := cfg.discover(ctx, browse, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if !errors.Is(err, context.Canceled) || tries != 20 {
		t.Fatalf("err %v after %d browses; want cancelled after 20", err, tries)
	}
}

func TestNewAgentRefusesAnUnresolvedAuto(t *testing.T) {
	_, err := NewAgent(AgentConfig{Server: "AUTO", Key: "button-key-123456", ButtonID: "nut-1"}, AgentOptions{})
	if err == nil || !strings.Contains(err.Error(), "Discover") {
		t.Fatalf("err %v, want one saying to discover first", err)
	}
}

func TestNormalizeAuto(t *testing.T) {
	c, err := AgentConfig{Server: " Auto ", ServerFallback: "https://10.0.0.5:8443", Key: "k", ButtonID: "nut-1"}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if c.Server != ServerAuto || c.ServerFallback != "wss://10.0.0.5:8443/ws" {
		t.Errorf("server %q fallback %q", c.Server, c.ServerFallback)
	}
	if _, err := (AgentConfig{Server: "auto", ServerFallback: "ftp://x"}).Normalize(); err == nil || !strings.Contains(err.Error(), "server_fallback") {
		t.Errorf("a bad fallback: %v", err)
	}
}
