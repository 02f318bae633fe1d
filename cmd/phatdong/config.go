package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/node"
	"github.com/phatdong/phatdong/display/oscin"
	"github.com/phatdong/phatdong/display/qr"
)

// Config is the server's configuration, from flags and PHATDONG_*
// environment variables (a flag wins over the environment).
type Config struct {
	Addr           string     // listen address, e.g. ":8080"
	DB             string     // bbolt database file, an absolute path
	ShowFile       string     // a show file to use, "" for the saved or default show
	OperatorToken  string     // "" keeps the stored one (generated on first start)
	ButtonKey      string     // a shared button key (older databases'); "" keeps the stored one, if any
	AllowedOrigins []string   // extra origins allowed to open the websocket
	AllowedHosts   []string   // extra host names the server answers to
	LogLevel       slog.Level // debug, info, warn, error
	PortableWrites bool       // websocket writes through each socket's writer goroutine only
	// APIRate is how many authenticated HTTP requests a client address may
	// make a second (twice that at once); 0 sets no limit.
	APIRate int
	// TLSCert and TLSKey are the server's certificate and key (PEM files):
	// both set, HTTPS and wss on Addr; both empty, plain HTTP.
	TLSCert, TLSKey string
	// TLSCA is the CA that signed TLSCert (PEM), offered to devices at
	// /trust; "" offers none.
	TLSCA string
	// NATSAddr is where the embedded NATS node listens (host:port, for the
	// standby server and the district halls); "" runs no node (the flag's
	// "off", and the zero Config of tests).
	NATSAddr string
	// PairingSecret is the secret NATS clients present; "" keeps the
	// stored one (generated on first start).
	PairingSecret string
	// LeafPort is where the node listens for a standby's leaf link, on
	// NATSAddr's host; 0 picks a free port.
	LeafPort int
	// StandbyOf makes this server the standby of the primary whose leaf
	// port is there (host:port); "" is a primary.
	StandbyOf string
	// AutoTakeover, on a standby, takes over by itself once the primary
	// and a button agent's witness report have both been silent that
	// long; 0 is off (the default).
	AutoTakeover time.Duration
	// VenueOf makes this server a district hall's, following the province
	// server whose leaf listeners are there (and its standby's), host:port
	// each; nil is no hall. VenueKey is the hall's credential
	// ("<id>:<secret>", made on the province's /edit); VenueName the
	// hall's name until the province tells it its own.
	VenueOf   []string
	VenueKey  string
	VenueName string
	// VenueCA is the province's CA (PEM, or DER as its /trust/ca.crt),
	// when the province serves TLS: a hall's link then speaks TLS and
	// trusts only that CA. "" dials in clear.
	VenueCA string
	// OSCAddr is where OSC commands are taken (UDP host:port); "" takes
	// none (the default). OSCAllow lists the senders obeyed.
	OSCAddr  string
	OSCAllow oscin.AllowList
	// QR is the terminal the banner's QR codes are drawn for: dark,
	// light, or off for none ("" is off).
	QR qr.Theme
	// MDNS advertises the server on the LAN as _phatdong._tcp (issue #17;
	// the flag's default is on, the zero Config's off).
	MDNS bool
	// Open opens the MC page in the default browser once the server
	// listens (--open; on by default for a Windows double-click).
	Open bool
}

// DefaultNATSAddr is where the NATS node listens unless told otherwise.
const DefaultNATSAddr = ":4222"

// Minimum length of a token given on the command line.
const minSecretLen = 12

// parseConfig reads flags from args with defaults from the environment.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv("PHATDONG_" + name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("phatdong", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	var origins, hosts, level, rate, natsAddr, leafPort, standbyOf, auto, venueOf, oscAddr, oscAllow, qrTheme string
	fs.StringVar(&cfg.Addr, "addr", env("ADDR", ":8080"), "listen address (PHATDONG_ADDR)")
	fs.StringVar(&cfg.DB, "db", env("DB", "phatdong.db"), "database file (PHATDONG_DB)")
	fs.StringVar(&cfg.ShowFile, "show", env("SHOW", ""), "show file to run (PHATDONG_SHOW); default: the saved show, or the built-in one")
	fs.StringVar(&cfg.OperatorToken, "operator-token", env("OPERATOR_TOKEN", ""), "operator token (PHATDONG_OPERATOR_TOKEN); default: generated once and stored")
	fs.StringVar(&cfg.ButtonKey, "button-key", env("BUTTON_KEY", ""), "a shared button key, counted as one button (PHATDONG_BUTTON_KEY); prefer a key per button, made in /edit")
	fs.StringVar(&origins, "allowed-origins", env("ALLOWED_ORIGINS", ""), "comma-separated extra origins allowed to open the websocket (PHATDONG_ALLOWED_ORIGINS)")
	fs.StringVar(&hosts, "allowed-hosts", env("ALLOWED_HOSTS", ""), "comma-separated host names the server answers to besides its addresses, localhost and this machine's name (PHATDONG_ALLOWED_HOSTS)")
	fs.StringVar(&rate, "api-rate", env("API_RATE", fmt.Sprint(display.DefaultAPIPerSec)),
		"authenticated HTTP requests a client address may make a second, twice that at once; 0 for no limit, e.g. for the load tool (PHATDONG_API_RATE)")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "log level: debug, info, warn, error (PHATDONG_LOG_LEVEL)")
	fs.BoolVar(&cfg.PortableWrites, "portable-writes", env("PORTABLE_WRITES", "") == "1",
		"write every websocket message through its socket's writer goroutine, as on every OS but Linux; for comparison (PHATDONG_PORTABLE_WRITES=1)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", env("TLS_CERT", ""), "serve HTTPS and wss with this certificate, a PEM file (PHATDONG_TLS_CERT); `phatdong cert` makes one")
	fs.StringVar(&cfg.TLSKey, "tls-key", env("TLS_KEY", ""), "the certificate's private key, a PEM file (PHATDONG_TLS_KEY)")
	fs.StringVar(&cfg.TLSCA, "tls-ca", env("TLS_CA", ""), "the CA that signed the certificate, a PEM file, offered to devices at /trust (PHATDONG_TLS_CA)")
	fs.StringVar(&natsAddr, "nats-addr", env("NATS_ADDR", DefaultNATSAddr),
		"listen address of the embedded NATS node, for the standby server and the district halls (PHATDONG_NATS_ADDR); off for none")
	fs.StringVar(&cfg.PairingSecret, "pairing-secret", env("PAIRING_SECRET", ""),
		"the secret the standby server and the district halls present to the NATS node (PHATDONG_PAIRING_SECRET); default: generated once and stored")
	fs.StringVar(&leafPort, "leaf-port", env("LEAF_PORT", strconv.Itoa(node.DefaultLeafPort)),
		"port of the NATS node where a standby server links to this one (PHATDONG_LEAF_PORT)")
	fs.StringVar(&standbyOf, "standby-of", env("STANDBY_OF", ""),
		"run as the standby of the primary at HOST[:LEAF-PORT], following it live (PHATDONG_STANDBY_OF); needs the primary's --pairing-secret")
	fs.StringVar(&auto, "auto-takeover", env("AUTO_TAKEOVER", "off"),
		"on a standby: take over by itself when the primary and the button agent (the witness) have both lost the primary this long, e.g. 5s; off by default (PHATDONG_AUTO_TAKEOVER; docs/standby.md)")
	fs.StringVar(&venueOf, "venue-of", env("VENUE_OF", ""),
		"run as a district hall's server following the province server at HOST[:LEAF-PORT] (and its standby's, comma-separated) (PHATDONG_VENUE_OF; docs/venues.md)")
	fs.StringVar(&cfg.VenueKey, "venue-key", env("VENUE_KEY", ""), "the hall's key ID:SECRET, made on the province's /edit (PHATDONG_VENUE_KEY)")
	fs.StringVar(&cfg.VenueName, "venue", env("VENUE", ""), "the hall's name, e.g. \"Huyện Bù Đăng\", until the province tells its own (PHATDONG_VENUE)")
	fs.StringVar(&cfg.VenueCA, "venue-ca", env("VENUE_CA", ""), "the province's CA when it serves TLS (its ca.pem, or /trust/ca.crt): the hall's link then speaks TLS (PHATDONG_VENUE_CA)")
	oscFlags(fs, env, &oscAddr, &oscAllow)
	fs.StringVar(&qrTheme, "qr", env("QR", string(qr.Dark)), "QR codes in the banner for a dark or light terminal, or off (PHATDONG_QR)")
	fs.BoolVar(&cfg.MDNS, "mdns", envOn(env("MDNS", "on")), "advertise the server on the LAN by mDNS as _phatdong._tcp and <hostname>.local; --mdns=false or PHATDONG_MDNS=0 for off (docs/discovery.md)")
	fs.BoolVar(&cfg.Open, "open", env("OPEN", "") == "1", "open the MC page in the default browser once the server runs (PHATDONG_OPEN=1)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong: the run-of-show server.\n\nUsage:\n"+
			"  phatdong [flags]       serve the show\n"+
			"  phatdong cert [flags]  make a local CA and a server certificate for HTTPS (phatdong cert -h)\n"+
			"  phatdong doctor [flags]  check the running server and its devices before the show (phatdong doctor -h)\n"+
			"  phatdong backup [flags] OUT  copy the database consistently, also while the server runs (phatdong backup -h)\n"+
			"  phatdong --version     print the version\n\nFlags:\n")
		fs.PrintDefaults()
	}
	err := fs.Parse(args)
	if err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	if err := checkTLSFlags(cfg); err != nil {
		return Config{}, err
	}
	if cfg.QR, err = qr.ParseTheme(qrTheme); err != nil {
		return Config{}, fmt.Errorf("--qr: %q is not one of dark, light, off", qrTheme)
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return Config{}, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", level)
	}
	if n, err := strconv.Atoi(rate); err != nil || n < 0 {
		return Config{}, fmt.Errorf("--api-rate: %q is not a whole number of requests a second (0 for no limit)", rate)
	} else {
		cfg.APIRate = n
	}
	if cfg.NATSAddr, err = checkNATSAddr(natsAddr); err != nil {
		return Config{}, err
	}
	if n, err := strconv.Atoi(leafPort); err != nil || n < 0 || n > 65535 {
		return Config{}, fmt.Errorf("--leaf-port: %q is not a port number", leafPort)
	} else {
		cfg.LeafPort = n
	}
	if cfg.StandbyOf, err = checkStandbyOf(standbyOf); err != nil {
		return Config{}, err
	}
	if cfg.AutoTakeover, err = parseAutoTakeover(auto); err != nil {
		return Config{}, err
	}
	if err := checkStandbyFlags(cfg); err != nil {
		return Config{}, err
	}
	if cfg.VenueOf, err = checkVenueOf(venueOf); err != nil {
		return Config{}, err
	}
	if err := checkVenueFlags(cfg); err != nil {
		return Config{}, err
	}
	if len(cfg.VenueOf) > 0 {
		// A hall's node only dials out: unless told, it listens on
		// loopback alone, on free ports, so a second hall (or the
		// province) fits on the same machine.
		if natsAddr == DefaultNATSAddr {
			cfg.NATSAddr = "127.0.0.1:0"
		}
		if cfg.LeafPort == node.DefaultLeafPort {
			cfg.LeafPort = 0
		}
	}
	if cfg.OSCAddr, cfg.OSCAllow, err = checkOSCFlags(oscAddr, oscAllow); err != nil {
		return Config{}, err
	}
	cfg.AllowedOrigins = splitList(origins)
	cfg.AllowedHosts = splitList(hosts)
	if cfg.DB == "" {
		return Config{}, fmt.Errorf("--db: needs a file name")
	}
	db, err := filepath.Abs(cfg.DB)
	if err != nil {
		return Config{}, fmt.Errorf("--db: %w", err)
	}
	cfg.DB = db
	for _, s := range []struct{ flag, value string }{{"--operator-token", cfg.OperatorToken}, {"--button-key", cfg.ButtonKey}, {"--pairing-secret", cfg.PairingSecret}} {
		if err := checkSecret(s.value); err != nil {
			return Config{}, fmt.Errorf("%s: %w", s.flag, err)
		}
	}
	if cfg.OperatorToken != "" && cfg.OperatorToken == cfg.ButtonKey {
		return Config{}, fmt.Errorf("--button-key must differ from --operator-token")
	}
	if cfg.PairingSecret != "" && (cfg.PairingSecret == cfg.OperatorToken || cfg.PairingSecret == cfg.ButtonKey) {
		return Config{}, fmt.Errorf("--pairing-secret must differ from --operator-token and --button-key")
	}
	return cfg, nil
}

// checkSecret accepts "" (keep the stored one) or a token long enough to
// resist guessing, made of characters safe in a header and a URL.
func checkSecret(s string) error {
	if s == "" {
		return nil
	}
	if len(s) < minSecretLen {
		return fmt.Errorf("must be at least %d characters long", minSecretLen)
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)
		if !ok {
			return fmt.Errorf("may only hold letters, digits and - . _ ~")
		}
	}
	return nil
}

// checkNATSAddr checks --nats-addr: "off" is "" (no node), anything else
// a host:port with a port number (0 picks a free one).
func checkNATSAddr(addr string) (string, error) {
	if strings.EqualFold(addr, "off") {
		return "", nil
	}
	if _, _, err := splitHostPort(addr); err != nil {
		return "", fmt.Errorf("--nats-addr: %q %v (host:port, :4222, or off)", addr, err)
	}
	return addr, nil
}

// checkStandbyFlags checks what a standby needs: its node, and the
// primary's pairing secret; a show file belongs to the primary.
func checkStandbyFlags(cfg Config) error {
	switch {
	case cfg.StandbyOf == "" && cfg.AutoTakeover != 0:
		return errors.New("--auto-takeover is for a standby (--standby-of)")
	case cfg.StandbyOf == "":
		return nil
	case cfg.NATSAddr == "":
		return errors.New("--standby-of needs the NATS node (--nats-addr not off)")
	case cfg.PairingSecret == "":
		return errors.New("--standby-of needs --pairing-secret: the primary's, shown in its banner")
	case cfg.ShowFile != "":
		return errors.New("--show is for the primary; a standby takes the primary's show")
	}
	return nil
}

// minAutoTakeover is the least --auto-takeover: a standby silent for less
// may have lost only a few hellos.
const minAutoTakeover = 3 * time.Second

// parseAutoTakeover reads --auto-takeover: "off" (or 0) or a duration of
// at least minAutoTakeover.
func parseAutoTakeover(v string) (time.Duration, error) {
	if strings.EqualFold(v, "off") || v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < minAutoTakeover {
		return 0, fmt.Errorf("--auto-takeover: %q is not off or a duration of at least %s, e.g. 5s", v, minAutoTakeover)
	}
	return d, nil
}

// splitHostPort splits a listen address into its host and port number.
func splitHostPort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, errors.New("is not a host:port")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "", 0, errors.New("has no port number")
	}
	return host, n, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
