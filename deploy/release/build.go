package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// versionVar is the variable the linker sets to the release's version.
const versionVar = "github.com/phatdong/phatdong/cmd/internal/version.Version"

// platform is one go build: the commands built for one OS and CPU.
type platform struct {
	goos, goarch, goarm string
	cmds                []string // under cmd/
}

// name is the platform as archives name it: linux_arm64, linux_armv6.
func (p platform) name() string {
	if p.goarch == "arm" {
		return p.goos + "_armv" + p.goarm
	}
	return p.goos + "_" + p.goarch
}

// exe is a command's file name on the platform.
func (p platform) exe(cmd string) string {
	if p.goos == "windows" {
		return cmd + ".exe"
	}
	return cmd
}

var (
	serverCmds = []string{"phatdong", "phatdong-load"}
	agentCmd   = "phatdong-button"
)

// platforms are every build of a release: the server and the load tool
// where technicians work, the agent on every Raspberry Pi (a 64-bit OS,
// and ARMv6 for the Zero and the Pi 1, which also runs on 32-bit OSes of
// newer Pis).
var platforms = []platform{
	{goos: "windows", goarch: "amd64", cmds: serverCmds},
	{goos: "darwin", goarch: "arm64", cmds: serverCmds},
	{goos: "darwin", goarch: "amd64", cmds: serverCmds},
	{goos: "linux", goarch: "amd64", cmds: serverCmds},
	{goos: "linux", goarch: "arm64", cmds: append(append([]string{}, serverCmds...), agentCmd)},
	{goos: "linux", goarch: "arm", goarm: "6", cmds: []string{agentCmd}},
}

// release is one run of the command.
type release struct {
	repo, version string
	stage         string // where everything is built
	jobs          int
	log           *slog.Logger
}

// binDir is where a platform's binaries are built.
func (r *release) binDir(p platform) string { return filepath.Join(r.stage, "bin", p.name()) }

// build compiles every platform, then makes the archives, the packages
// and SHA256SUMS, each step's units in parallel. It returns the
// artefacts' file names in the staging folder, SHA256SUMS last.
func (r *release) build(ctx context.Context) ([]string, error) {
	t := time.Now()
	var steps []func() error
	for _, p := range platforms {
		steps = append(steps, func() error { return r.compile(ctx, p) })
	}
	if err := r.parallel(steps); err != nil {
		return nil, err
	}
	r.log.Info("compiled", "platforms", len(platforms), "seconds", time.Since(t).Seconds())
	t = time.Now()
	var (
		mu        sync.Mutex
		artefacts []string
	)
	add := func(name string, err error) error {
		if err == nil {
			r.log.Debug("packed", "artefact", name)
			mu.Lock()
			artefacts = append(artefacts, name)
			mu.Unlock()
		}
		return err
	}
	steps = steps[:0]
	for _, a := range archives() {
		steps = append(steps, func() error { return add(r.archive(a)) })
	}
	for _, d := range debs() {
		steps = append(steps, func() error { return add(r.deb(d)) })
	}
	if err := r.parallel(steps); err != nil {
		return nil, err
	}
	sort.Strings(artefacts)
	if err := writeSums(r.stage, artefacts); err != nil {
		return nil, err
	}
	r.log.Info("packed", "artefacts", len(artefacts), "seconds", time.Since(t).Seconds())
	return append(artefacts, sumsFile), nil
}

// compile builds a platform's commands: static, reproducible paths, no
// symbol tables, the version linked in.
func (r *release) compile(ctx context.Context, p platform) error {
	args := []string{"build", "-trimpath", "-ldflags", "-s -w -X " + versionVar + "=" + r.version, "-o", r.binDir(p) + string(os.PathSeparator)}
	for _, c := range p.cmds {
		args = append(args, "./cmd/"+c)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.goos, "GOARCH="+p.goarch, "GOARM="+p.goarm, "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", p.name(), err, out)
	}
	return nil
}

// parallel runs steps, r.jobs at once, and returns their errors joined.
func (r *release) parallel(steps []func() error) error {
	sem := make(chan struct{}, r.jobs)
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = step()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// files under the repository that go into archives and packages.
func (r *release) path(rel string) string {
	return filepath.Join(r.repo, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
}
