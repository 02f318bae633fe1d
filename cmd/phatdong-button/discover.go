package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/phatdong/phatdong/button"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

// discoverCommand is `phatdong-button discover`: it browses the LAN for
// phatdong servers and prints them, one a line (role, URL, host, version),
// or with --primary only the primary's URL, for the kiosk scripts; it
// fails when none (or no primary, with --primary) answered. browse nil is
// dnssd.Browse (dnssd.FindPrimary with --primary).
func discoverCommand(args []string, stdout, stderr io.Writer, browse button.BrowseFunc) error {
	fs := flag.NewFlagSet("phatdong-button discover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", button.DiscoverTimeout, "how long to listen for answers")
	primary := fs.Bool("primary", false, "print only the primary's URL (http://host:port), for scripts")
	asJSON := fs.Bool("json", false, "print the answers as JSON")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong-button discover: find the phatdong servers on the LAN by mDNS (%s).\n\nUsage: phatdong-button discover [flags]\n\n", dnssd.Service)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("discover: unexpected argument %q", fs.Arg(0))
	}
	if *timeout <= 0 || *timeout > time.Minute {
		return fmt.Errorf("discover: --timeout %s: give a duration up to 1m, e.g. 3s", *timeout)
	}
	if browse == nil {
		browse = dnssd.Browse
		if *primary {
			browse = dnssd.FindPrimary // no need to listen on once it answered
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	records, err := browse(ctx, *timeout)
	if err != nil {
		return fmt.Errorf("discover: %w", err)
	}
	switch {
	case *primary:
		p, ok := dnssd.Primary(records)
		if !ok {
			return fmt.Errorf("discover: no primary server answered in %s (%d answers)", *timeout, len(records))
		}
		_, err = fmt.Fprintln(stdout, p.BaseURL())
		return err
	case *asJSON:
		if records == nil {
			records = []dnssd.Record{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(records); err != nil {
			return err
		}
	default:
		for _, r := range records {
			if _, err := fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", r.Role, r.BaseURL(), r.Host, r.Version); err != nil {
				return err
			}
		}
	}
	if len(records) == 0 {
		return fmt.Errorf("discover: no phatdong server answered in %s", *timeout)
	}
	return nil
}
