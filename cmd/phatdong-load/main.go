// Command phatdong-load connects many screen clients to a phatdong server
// and measures what the ceremony depends on: how fast one state change
// reaches every screen (fan-out latency), how fast a button press reaches
// every screen as the fire event, how long a crowd of screens takes to hold
// the current state, how well the clients' clocks sync, and how much server
// memory each idle socket costs. With --soak it runs a show for a while
// instead (a step every --step, a rehearsal fire every --fire-every) and
// checks that every screen saw every state and every fire and stayed
// connected; it reports the server's memory, goroutines and open files at
// the start and the end.
//
// Run the server in its own process and this tool in another, with one
// core for the clients (the default, -procs 1), so that the server's
// figures are its own:
//
//	phatdong --db /tmp/load.db --addr 127.0.0.1:8090 --operator-token T --button-key K --api-rate 0 &
//	phatdong-load --url http://127.0.0.1:8090 --token T --clients 1000 --changes 50 --gap 0.4-0.7s
//	phatdong-load --url http://127.0.0.1:8090 --token T --clients 1000 --gap 0
//	phatdong-load --url http://127.0.0.1:8090 --token T --button-key K --press --presses 20
//	phatdong-load --url http://127.0.0.1:8090 --token T --clients 1000 --soak 10m --step 2s --fire-every 30s
//
// The tool changes the show on the server (messages, and in -press and
// -soak modes the segments, rehearsal, arm, fire and reset of the launch):
// never point it at a live show.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/phatdong/phatdong/cmd/internal/version"
)

// config is the tool's flags.
type config struct {
	base         *url.URL // the server's http(s) URL
	clients      int
	changes      int
	gapMin       time.Duration
	gapMax       time.Duration
	token        string
	buttonKey    string
	burst        int
	press        bool
	presses      int
	syncClients  int
	syncInterval time.Duration
	settle       time.Duration
	procs        int
	timeout      time.Duration
	verbose      bool
	cpuProfile   string
	reader       string
	soak         time.Duration // 0: no soak
	step         time.Duration // the soak's pace of show steps
	fireEvery    time.Duration // the soak's pace of rehearsal fires; 0: none
}

func main() {
	if err := mainImpl(); err != nil {
		fmt.Fprintln(os.Stderr, "phatdong-load:", err)
		os.Exit(1)
	}
}

func mainImpl() error {
	if version.Requested(os.Args[1:]) {
		fmt.Println(version.Line("phatdong-load"))
		return nil
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(cfg.procs)
	if err := raiseFileLimit(cfg.clients + 64); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	return run(ctx, cfg, os.Stdout)
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var rawURL, gap string
	fs := flag.NewFlagSet("phatdong-load", flag.ContinueOnError)
	fs.StringVar(&rawURL, "url", "http://127.0.0.1:8080", "the server's base URL")
	fs.IntVar(&cfg.clients, "clients", 1000, "screen clients to connect")
	fs.IntVar(&cfg.changes, "changes", 50, "state changes to drive through the operator API (fan-out mode)")
	fs.StringVar(&gap, "gap", "0.4-0.7s", "pause between changes or presses: a duration, a range like 0.4-0.7s, or 0 for back-to-back (the next change as soon as every client has the last one)")
	fs.StringVar(&cfg.token, "token", os.Getenv("PHATDONG_OPERATOR_TOKEN"), "operator token (default $PHATDONG_OPERATOR_TOKEN)")
	fs.StringVar(&cfg.buttonKey, "button-key", os.Getenv("PHATDONG_BUTTON_KEY"), "button key, for -press (default $PHATDONG_BUTTON_KEY)")
	fs.IntVar(&cfg.burst, "connect-burst", 0, "most handshakes in flight at once; 0 means all clients at once")
	fs.BoolVar(&cfg.press, "press", false, "measure button press → fire event at every screen instead of state fan-out")
	fs.IntVar(&cfg.presses, "presses", 20, "presses to measure in -press mode (each is reset, armed and fired; needs rehearsal mode, which the tool turns on)")
	fs.IntVar(&cfg.syncClients, "sync", -1, "clients that sync their clock like a screen (a burst of 8, then every -sync-interval); -1 means all")
	fs.DurationVar(&cfg.syncInterval, "sync-interval", 3*time.Second, "clock-sync interval after the burst")
	fs.DurationVar(&cfg.settle, "settle", 3*time.Second, "idle time after connecting, before memory is read and changes start")
	fs.IntVar(&cfg.procs, "procs", 1, "GOMAXPROCS of this tool (1 leaves the other core to the server)")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "how long to wait for a change to reach every client")
	fs.BoolVar(&cfg.verbose, "v", false, "print every change's delivery")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write this tool's CPU profile to the file")
	fs.StringVar(&cfg.reader, "reader", defaultReader, "how clients read: epoll (Linux only: one goroutine reads every socket, one system call per message) or goroutine (one goroutine per client, through gorilla)")
	fs.DurationVar(&cfg.soak, "soak", 0, "run a show for this long instead of measuring (e.g. 10m): a step every -step, a rehearsal fire every -fire-every; checks that every screen saw every state (turns rehearsal on)")
	fs.DurationVar(&cfg.step, "step", 2*time.Second, "the soak's pace: one show step (next; goto the first segment after the last) per this")
	fs.DurationVar(&cfg.fireEvery, "fire-every", 30*time.Second, "the soak's rehearsal fires: arm, fire and reset-launch once per this; 0 for none")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("--url %q: want http://host:port", rawURL)
	}
	cfg.base = u
	if cfg.gapMin, cfg.gapMax, err = parseGap(gap); err != nil {
		return cfg, fmt.Errorf("--gap: %w", err)
	}
	switch {
	case cfg.clients < 1:
		return cfg, errors.New("--clients must be at least 1")
	case cfg.token == "":
		return cfg, errors.New("--token (the operator token) is needed to drive changes")
	case cfg.press && cfg.buttonKey == "":
		return cfg, errors.New("--press needs --button-key")
	case cfg.changes < 1 || cfg.presses < 1:
		return cfg, errors.New("--changes and --presses must be at least 1")
	case cfg.procs < 1:
		return cfg, errors.New("--procs must be at least 1")
	case cfg.reader != "epoll" && cfg.reader != "goroutine":
		return cfg, fmt.Errorf("--reader %q: want epoll or goroutine", cfg.reader)
	case cfg.soak < 0:
		return cfg, errors.New("--soak must be a duration, 0 for none")
	case cfg.soak > 0 && cfg.press:
		return cfg, errors.New("--soak and --press are separate runs: give one")
	case cfg.soak > 0 && cfg.step < 10*time.Millisecond:
		return cfg, errors.New("--step must be at least 10ms")
	case cfg.soak > 0 && cfg.fireEvery != 0 && cfg.fireEvery < 100*time.Millisecond:
		return cfg, errors.New("--fire-every must be at least 100ms, or 0 for no fires")
	}
	if cfg.syncClients < 0 || cfg.syncClients > cfg.clients {
		cfg.syncClients = cfg.clients
	}
	return cfg, nil
}

// parseGap reads "0", "500ms", "0.4-0.7s" or "400ms-700ms".
func parseGap(s string) (time.Duration, time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, 0, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return 0, 0, fmt.Errorf("%q is not a duration", s)
		}
		return d, d, nil
	}
	hiD, err := time.ParseDuration(hi)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a duration", hi)
	}
	loD, err := time.ParseDuration(lo)
	if err != nil { // "0.4-0.7s": the unit is given once, at the end
		unit := strings.TrimLeft(hi, "0123456789.")
		if loD, err = time.ParseDuration(lo + unit); err != nil {
			return 0, 0, fmt.Errorf("%q is not a duration", lo)
		}
	}
	if loD < 0 || hiD < loD {
		return 0, 0, fmt.Errorf("%q is not a range from low to high", s)
	}
	return loD, hiD, nil
}

// pause is one gap between two changes.
func (c config) pause() time.Duration {
	if c.gapMax <= c.gapMin {
		return c.gapMin
	}
	return c.gapMin + rand.N(c.gapMax-c.gapMin)
}

// gapLabel describes the gap for the report.
func (c config) gapLabel() string {
	switch {
	case c.gapMax == 0:
		return "back-to-back (each change once every client has the last)"
	case c.gapMin == c.gapMax:
		return fmt.Sprintf("gap %v", c.gapMin)
	default:
		return fmt.Sprintf("gap %v–%v", c.gapMin, c.gapMax)
	}
}

// wsURL is the websocket endpoint of the server.
func (c config) wsURL() string {
	u := *c.base
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	u.Path = strings.TrimRight(u.Path, "/") + "/ws"
	return u.String()
}
