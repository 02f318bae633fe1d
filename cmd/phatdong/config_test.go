package main

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(Config) bool
		err   string
	}{
		{name: "defaults", check: func(c Config) bool {
			return c.Addr == ":8080" && c.DB == abs("phatdong.db") && c.ShowFile == "" && c.LogLevel == slog.LevelInfo && c.OperatorToken == ""
		}},
		{name: "environment", env: map[string]string{"PHATDONG_ADDR": ":9000", "PHATDONG_OPERATOR_TOKEN": "env-token-123456", "PHATDONG_ALLOWED_ORIGINS": "http://a.lan, http://b.lan"},
			check: func(c Config) bool {
				return c.Addr == ":9000" && c.OperatorToken == "env-token-123456" && slices.Equal(c.AllowedOrigins, []string{"http://a.lan", "http://b.lan"})
			}},
		{name: "a flag wins over the environment", args: []string{"--addr", ":7000", "--log-level", "debug"}, env: map[string]string{"PHATDONG_ADDR": ":9000"},
			check: func(c Config) bool { return c.Addr == ":7000" && c.LogLevel == slog.LevelDebug }},
		{name: "the database file as an absolute path", args: []string{"--db", "data/show.db"},
			check: func(c Config) bool { return filepath.IsAbs(c.DB) && c.DB == abs("data/show.db") }},
		{name: "the environment's database file, absolute too", env: map[string]string{"PHATDONG_DB": "../phatdong.db"},
			check: func(c Config) bool { return filepath.IsAbs(c.DB) && c.DB == abs("../phatdong.db") }},
		{name: "host names and portable writes", args: []string{"--allowed-hosts", " mc.lan ,, hoitruong.local", "--portable-writes"},
			check: func(c Config) bool {
				return slices.Equal(c.AllowedHosts, []string{"mc.lan", "hoitruong.local"}) && c.PortableWrites
			}},
		{name: "portable writes from the environment", env: map[string]string{"PHATDONG_PORTABLE_WRITES": "1", "PHATDONG_ALLOWED_HOSTS": "mc.lan"},
			check: func(c Config) bool { return c.PortableWrites && slices.Equal(c.AllowedHosts, []string{"mc.lan"}) }},
		{name: "a standby with its primary's port, secret and an automatic takeover", args: []string{"--standby-of", "10.0.0.11:7500", "--pairing-secret", "pairing-secret-1", "--auto-takeover", "5s"},
			check: func(c Config) bool {
				return c.StandbyOf == "10.0.0.11:7500" && c.PairingSecret == "pairing-secret-1" && c.AutoTakeover == 5*time.Second && c.LeafPort == 7422
			}},
		{name: "a standby's primary without a port takes the leaf port", env: map[string]string{"PHATDONG_STANDBY_OF": "10.0.0.11", "PHATDONG_PAIRING_SECRET": "pairing-secret-1"},
			check: func(c Config) bool { return c.StandbyOf == "10.0.0.11:7422" && c.AutoTakeover == 0 }},
		{name: "a standby needs the pairing secret", args: []string{"--standby-of", "10.0.0.11"}, err: "--standby-of needs --pairing-secret"},
		{name: "a standby takes no show file", args: []string{"--standby-of", "10.0.0.11", "--pairing-secret", "pairing-secret-1", "--show", "x.json"}, err: "--show is for the primary"},
		{name: "a standby needs its NATS node", args: []string{"--standby-of", "10.0.0.11", "--pairing-secret", "pairing-secret-1", "--nats-addr", "off"}, err: "needs the NATS node"},
		{name: "an automatic takeover is a standby's", args: []string{"--auto-takeover", "5s"}, err: "--auto-takeover is for a standby"},
		{name: "an automatic takeover too soon", args: []string{"--standby-of", "h", "--pairing-secret", "pairing-secret-1", "--auto-takeover", "1s"}, err: "at least 3s"},
		{name: "a district hall of the province and its standby", args: []string{"--venue-of", "10.0.0.11, 10.0.0.12:7500", "--venue-key", "k0a1b2c3d4e:s3cr3t-s3cr3t", "--venue", "Huyện Bù Đăng"},
			check: func(c Config) bool {
				return slices.Equal(c.VenueOf, []string{"10.0.0.11:7422", "10.0.0.12:7500"}) && c.VenueKey == "k0a1b2c3d4e:s3cr3t-s3cr3t" && c.VenueName == "Huyện Bù Đăng" &&
					c.NATSAddr == "127.0.0.1:0" && c.LeafPort == 0
			}},
		{name: "a hall from the environment", env: map[string]string{"PHATDONG_VENUE_OF": "province.lan", "PHATDONG_VENUE_KEY": "k1:abc"},
			check: func(c Config) bool {
				return slices.Equal(c.VenueOf, []string{"province.lan:7422"}) && c.VenueKey == "k1:abc"
			}},
		{name: "a hall's node where it is told", args: []string{"--venue-of", "a", "--venue-key", "k1:abc", "--nats-addr", ":4300", "--leaf-port", "7500"},
			check: func(c Config) bool { return c.NATSAddr == ":4300" && c.LeafPort == 7500 }},
		{name: "a hall needs its key", args: []string{"--venue-of", "10.0.0.11"}, err: "--venue-of needs --venue-key"},
		{name: "a hall's key has an id", args: []string{"--venue-of", "10.0.0.11", "--venue-key", "justasecret"}, err: "--venue-key"},
		{name: "a hall's key without a hall", args: []string{"--venue-key", "k1:abc"}, err: "--venue-key is for a district hall"},
		{name: "a hall's CA without a hall", args: []string{"--venue-ca", "ca.pem"}, err: "--venue-ca is for a district hall"},
		{name: "a hall's name without a hall", args: []string{"--venue", "Bù Đăng"}, err: "--venue is for a district hall"},
		{name: "a hall is no standby", args: []string{"--venue-of", "a", "--venue-key", "k1:abc", "--standby-of", "b", "--pairing-secret", "pairing-secret-1"}, err: "exclude each other"},
		{name: "a hall takes no show file", args: []string{"--venue-of", "a", "--venue-key", "k1:abc", "--show", "x.json"}, err: "--show is for the province"},
		{name: "a hall needs its NATS node", args: []string{"--venue-of", "a", "--venue-key", "k1:abc", "--nats-addr", "off"}, err: "needs the NATS node"},
		{name: "a hall's province address", args: []string{"--venue-of", "10.0.0.11:port", "--venue-key", "k1:abc"}, err: "--venue-of"},
		{name: "a bad leaf port", args: []string{"--leaf-port", "70000"}, err: "--leaf-port"},
		{name: "short token", args: []string{"--operator-token", "abc"}, err: "--operator-token: must be at least"},
		{name: "token with a space", args: []string{"--button-key", "abc def ghi jkl"}, err: "--button-key: may only hold"},
		{name: "same token twice", args: []string{"--operator-token", "same-token-1234", "--button-key", "same-token-1234"}, err: "must differ"},
		{name: "bad log level", args: []string{"--log-level", "loud"}, err: "--log-level"},
		{name: "stray argument", args: []string{"show.json"}, err: "unexpected argument"},
		{name: "unknown flag", args: []string{"--port", "80"}, err: "flag provided but not defined"},
		{name: "the API rate by default", check: func(c Config) bool { return c.APIRate == 20 }},
		{name: "no API rate limit", env: map[string]string{"PHATDONG_API_RATE": "0"}, check: func(c Config) bool { return c.APIRate == 0 }},
		{name: "NATS on :4222 by default", args: nil, check: func(c Config) bool { return c.NATSAddr == ":4222" && c.PairingSecret == "" }},
		{name: "NATS off", args: []string{"--nats-addr", "off"}, check: func(c Config) bool { return c.NATSAddr == "" }},
		{name: "NATS from the environment", env: map[string]string{"PHATDONG_NATS_ADDR": "127.0.0.1:4333", "PHATDONG_PAIRING_SECRET": "pairing-1234-abcd"},
			check: func(c Config) bool { return c.NATSAddr == "127.0.0.1:4333" && c.PairingSecret == "pairing-1234-abcd" }},
		{name: "NATS off from the environment", env: map[string]string{"PHATDONG_NATS_ADDR": "OFF"}, check: func(c Config) bool { return c.NATSAddr == "" }},
		{name: "a NATS address without a port", args: []string{"--nats-addr", "localhost"}, err: "--nats-addr"},
		{name: "a NATS port out of range", args: []string{"--nats-addr", ":70000"}, err: "--nats-addr"},
		{name: "a short pairing secret", args: []string{"--pairing-secret", "short"}, err: "--pairing-secret: must be at least"},
		{name: "the pairing secret equals the operator token", args: []string{"--pairing-secret", "same-token-1234", "--operator-token", "same-token-1234"},
			err: "--pairing-secret must differ"},
		{name: "an API rate", args: []string{"--api-rate", "50"}, check: func(c Config) bool { return c.APIRate == 50 }},
		{name: "a bad API rate", args: []string{"--api-rate", "-1"}, err: "--api-rate"},
		// TLS
		{name: "no TLS by default", check: func(c Config) bool { return c.TLSCert == "" && c.TLSKey == "" && c.TLSCA == "" }},
		{name: "TLS flags", args: []string{"--tls-cert", "s.pem", "--tls-key", "k.pem", "--tls-ca", "ca.pem"},
			check: func(c Config) bool { return c.TLSCert == "s.pem" && c.TLSKey == "k.pem" && c.TLSCA == "ca.pem" }},
		{name: "TLS from the environment", env: map[string]string{"PHATDONG_TLS_CERT": "s.pem", "PHATDONG_TLS_KEY": "k.pem", "PHATDONG_TLS_CA": "ca.pem"},
			check: func(c Config) bool { return c.TLSCert == "s.pem" && c.TLSKey == "k.pem" && c.TLSCA == "ca.pem" }},
		{name: "a TLS flag wins", args: []string{"--tls-cert", "f.pem"}, env: map[string]string{"PHATDONG_TLS_CERT": "e.pem", "PHATDONG_TLS_KEY": "k.pem"},
			check: func(c Config) bool { return c.TLSCert == "f.pem" && c.TLSKey == "k.pem" }},
		{name: "a certificate alone", args: []string{"--tls-cert", "s.pem"}, err: "--tls-cert and --tls-key go together"},
		{name: "a key alone", env: map[string]string{"PHATDONG_TLS_KEY": "k.pem"}, err: "--tls-cert and --tls-key go together"},
		{name: "a CA alone", args: []string{"--tls-ca", "ca.pem"}, err: "--tls-ca needs --tls-cert and --tls-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Errorf("config %+v", cfg)
			}
		})
	}
}

// abs is path made absolute against the working directory, as --db is.
func abs(path string) string {
	p, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return p
}
