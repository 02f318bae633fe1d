package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// crowd is the connected clients.
type crowd struct {
	screens []*screen
	times   *serverTimes
	synced  int
	poller  *poller // nil when each client reads on its own goroutine
	stop    chan struct{}
}

// run connects the clients, reads the server's memory, runs the chosen
// measurement and prints the report to w.
func run(ctx context.Context, cfg config, w io.Writer) error {
	api := newAPI(cfg)
	fmt.Fprintf(w, "phatdong-load → %s: %d screen clients, client GOMAXPROCS=%d, reader %s (the server runs in its own process)\n",
		cfg.base, cfg.clients, runtime.GOMAXPROCS(0), cfg.reader)
	before, merr := api.metrics(ctx)
	if merr != nil {
		fmt.Fprintf(w, "  (no server metrics: %v)\n", merr)
	}

	c, err := connect(ctx, cfg, w)
	if c != nil {
		defer c.close()
	}
	if err != nil {
		return err
	}
	syncCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	for _, s := range c.screens[:c.synced] {
		go s.syncClock(syncCtx, cfg.syncInterval)
	}

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(cfg.settle):
	}
	if merr == nil {
		if after, err := api.metrics(ctx); err != nil {
			fmt.Fprintf(w, "  (no server metrics after connecting: %v)\n", err)
		} else {
			printMemory(w, before, after, len(c.screens))
		}
	}

	switch {
	case cfg.soak > 0:
		err = runSoak(ctx, cfg, api, c, w)
	case cfg.press:
		err = measurePresses(ctx, cfg, api, c, w)
	default:
		err = measureFanout(ctx, cfg, api, c, w)
	}
	printClockSync(w, c, sameHost(cfg))
	return err
}

// connect dials every client (at most cfg.burst at once) and waits until
// each holds the current state.
func connect(ctx context.Context, cfg config, w io.Writer) (*crowd, error) {
	c := &crowd{times: newServerTimes(), synced: cfg.syncClients, stop: make(chan struct{})}
	if cfg.reader == "epoll" {
		p, err := newPoller(cfg.clients + 1) // the screens and the button
		if err != nil {
			return nil, err
		}
		c.poller = p
		go p.run(c.stop)
	}
	url := cfg.wsURL()
	burst := cfg.burst
	if burst <= 0 {
		burst = cfg.clients
	}
	slots := make(chan struct{}, burst)
	screens := make([]*screen, cfg.clients)
	var failed []error
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range cfg.clients {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			hello := protocol.HelloMsg{Type: protocol.TypeHello, Role: protocol.RoleStage, Name: fmt.Sprintf("load %d", i+1)}
			s, err := dialScreen(ctx, url, hello, c.times, c.poller)
			if err != nil {
				mu.Lock()
				failed = append(failed, err)
				mu.Unlock()
				return
			}
			screens[i] = s
		})
	}
	wg.Wait()
	dialed := time.Since(start)
	for _, s := range screens {
		if s != nil {
			c.screens = append(c.screens, s)
		}
	}
	c.synced = min(c.synced, len(c.screens))
	if len(failed) > 0 {
		return c, fmt.Errorf("%d of %d clients could not connect; the first: %w", len(failed), cfg.clients, failed[0])
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		missing := 0
		var last int64
		for _, s := range c.screens {
			t := s.firstState.Load()
			if t == 0 {
				missing++
			}
			last = max(last, t)
		}
		if missing == 0 {
			held := time.UnixMicro(last).Sub(start)
			fmt.Fprintf(w, "connect: %d sockets opened in %.2f s; all held the current state %.2f s after the first dial (target: 5,000 within 10 s)\n",
				len(c.screens), dialed.Seconds(), held.Seconds())
			return c, nil
		}
		if time.Now().After(deadline) {
			return c, fmt.Errorf("%d clients had no state 60 s after connecting", missing)
		}
		select {
		case <-ctx.Done():
			return c, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (c *crowd) close() {
	var wg sync.WaitGroup
	for _, s := range c.screens {
		wg.Go(s.close)
	}
	wg.Wait()
	close(c.stop)
	if c.poller != nil {
		c.poller.close()
	}
}

// waitAll waits until every screen passes cond, or timeout.
func (c *crowd) waitAll(ctx context.Context, timeout time.Duration, cond func(*screen) bool) error {
	deadline := time.Now().Add(timeout)
	for {
		missing := 0
		for _, s := range c.screens {
			if !cond(s) {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d clients still waiting after %v", missing, len(c.screens), timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// sameHost reports whether the server shares this machine's clock, so
// that arrival times can be compared with the server's timestamps as they
// are.
func sameHost(cfg config) bool {
	host := cfg.base.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
