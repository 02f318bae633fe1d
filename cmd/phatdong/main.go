// Command phatdong is the run-of-show server: it resumes the saved show (or
// starts the built-in one), serves the pages, the API and the websocket to
// every device, and prints the links to open.
//
// `phatdong cert` makes a local CA and a certificate for the server, for
// HTTPS on the LAN (--tls-cert, --tls-key, --tls-ca). `phatdong doctor`
// checks a running server and its devices before the show.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/phatdong/phatdong/cmd/internal/version"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

func main() {
	if err := mainImpl(); err != nil {
		fmt.Fprintln(os.Stderr, "phatdong: "+err.Error())
		holdOnError(runtime.GOOS, len(os.Args) == 1, os.Stdin, os.Stderr)
		os.Exit(1)
	}
}

func mainImpl() error {
	if version.Requested(os.Args[1:]) {
		fmt.Println(version.Line("phatdong"))
		return nil
	}
	if len(os.Args) > 1 && os.Args[1] == "backup" {
		return runBackupCommand(os.Args[2:], os.Getenv, os.Stdout, os.Stderr)
	}
	if len(os.Args) > 1 && os.Args[1] == "cert" {
		err := newCertCommand().run(os.Args[2:])
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if len(os.Args) > 1 && os.Args[1] == "doctor" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		err := doctorCommand{out: os.Stdout, getenv: os.Getenv, browse: dnssd.FindPrimary}.run(ctx, os.Args[2:])
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg = doubleClick(cfg, runtime.GOOS, len(os.Args) == 1)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := Open(cfg, log)
	if err != nil {
		return err
	}
	srv.PrintBanner(os.Stdout)
	if cfg.Open {
		srv.OpenMC(defaultOpener(runtime.GOOS), log)
	}
	runErr := srv.Run(ctx)
	if err := srv.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}
