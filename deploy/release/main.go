// Command release builds a phatdong release: the server and the load tool
// for every platform a venue technician uses, the button agent for every
// Raspberry Pi, .deb packages for the server and the agent with their
// systemd units, and SHA256SUMS. It checks what it built before it hands
// it over: every archive lists its binaries, every .deb is read back with
// dpkg-deb, the checksums verify.
//
//	cd deploy/release && go run . --version v1.2.3 --out ../../dist
//	cd deploy/release && go run . --version v1.2.3 --dry-run
//
// It is a module of its own so that nfpm's dependencies stay out of the
// server's module.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"time"
)

func main() {
	if err := mainImpl(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "release: "+err.Error())
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	version string // "v1.2.3"
	out     string // where the artefacts go; unused in a dry run
	dryRun  bool
	repo    string // the phatdong checkout
	jobs    int    // builds at once
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.version, "version", "", "the release's version, vMAJOR.MINOR.PATCH[-PRERELEASE] (required)")
	fs.StringVar(&o.out, "out", "", "the folder that receives the archives, packages and SHA256SUMS (created if missing)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "build everything into a temporary folder, check it, then delete it")
	fs.StringVar(&o.repo, "repo", "../..", "the phatdong checkout to build")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "targets built at once")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if _, err := parseVersion(o.version); err != nil {
		return options{}, fmt.Errorf("--version: %w", err)
	}
	if o.dryRun == (o.out != "") {
		return options{}, errors.New("give either --out FOLDER or --dry-run")
	}
	if o.jobs < 1 {
		return options{}, errors.New("--jobs: at least 1")
	}
	return o, nil
}

func mainImpl(args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	repo, err := checkRepo(o.repo)
	if err != nil {
		return err
	}
	start := time.Now()
	stage, err := os.MkdirTemp("", "phatdong-release-")
	if err != nil {
		return fmt.Errorf("staging folder: %w", err)
	}
	defer os.RemoveAll(stage)
	r := &release{repo: repo, version: o.version, stage: stage, jobs: o.jobs, log: log}
	artefacts, err := r.build(ctx)
	if err != nil {
		return err
	}
	checked := time.Now()
	if err := r.check(artefacts); err != nil {
		return fmt.Errorf("self-check: %w", err)
	}
	log.Info("checked", "artefacts", len(artefacts), "seconds", time.Since(checked).Seconds())
	if o.dryRun {
		fmt.Fprintf(stdout, "dry run of %s: %d artefacts built and checked in %.1f s, then deleted\n",
			o.version, len(artefacts), time.Since(start).Seconds())
		return nil
	}
	if err := deliver(stage, artefacts, o.out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d artefacts and SHA256SUMS in %s (%.1f s)\n", o.version, len(artefacts)-1, o.out, time.Since(start).Seconds())
	return nil
}

// checkRepo finds the phatdong checkout at dir.
func checkRepo(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("--repo: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil || !containsLine(string(data), "module github.com/phatdong/phatdong") {
		return "", fmt.Errorf("--repo: %s is not the phatdong checkout (run from deploy/release, or give --repo)", abs)
	}
	return abs, nil
}

// deliver moves the checked artefacts into out, refusing to replace a
// file already there.
func deliver(stage string, artefacts []string, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	for _, name := range artefacts {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			return fmt.Errorf("--out: %s already holds %s; remove it or choose another folder (nothing was moved)", out, name)
		}
	}
	for _, name := range artefacts {
		if err := moveFile(filepath.Join(stage, name), filepath.Join(out, name)); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	return nil
}

// moveFile renames, or copies when src and dst are on different file
// systems.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
