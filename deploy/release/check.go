package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// check reads back everything built: each archive holds its binaries
// (executable), its README and licence notes; each .deb, as dpkg-deb
// reads it, has its name, version and architecture, its binaries in
// /usr/bin and its unit; the checksums verify; a binary built for this
// machine prints the release's version.
func (r *release) check(artefacts []string) error {
	var errs []error
	names := artefacts[:len(artefacts)-1] // all but SHA256SUMS
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for _, a := range archives() {
		name := a.fileName(r.version)
		if !seen[name] {
			errs = append(errs, fmt.Errorf("%s was not built", name))
			continue
		}
		errs = append(errs, checkArchive(filepath.Join(r.stage, name), a.base(r.version)+"/", append(a.binaries(), "README.txt", "THIRD_PARTY.txt")))
	}
	dpkgVersion, _ := parseVersion(r.version)
	dpkgVersion = strings.Replace(dpkgVersion, "-", "~", 1) // nfpm's pre-release
	for _, d := range debs() {
		errs = append(errs, r.checkDeb(names, d, dpkgVersion))
	}
	errs = append(errs, verifySums(r.stage, names), r.checkRunnable())
	return errors.Join(errs...)
}

// checkArchive lists an archive and checks that want are in it under top,
// the binaries executable.
func checkArchive(path, top string, want []string) error {
	modes := map[string]os.FileMode{}
	if strings.HasSuffix(path, ".zip") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			modes[f.Name] = f.Mode()
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Base(path), err)
			}
			modes[h.Name] = h.FileInfo().Mode()
		}
	}
	for _, w := range want {
		mode, ok := modes[top+w]
		if !ok {
			return fmt.Errorf("%s does not list %s", filepath.Base(path), top+w)
		}
		if isBinary(w) && mode&0o111 == 0 {
			return fmt.Errorf("%s: %s is not executable (%v)", filepath.Base(path), w, mode)
		}
	}
	return nil
}

func isBinary(name string) bool {
	return strings.HasPrefix(name, "phatdong") && !strings.Contains(name, ".") || strings.HasSuffix(name, ".exe")
}

// checkDeb reads a package back with dpkg-deb.
func (r *release) checkDeb(names []string, d debSpec, version string) error {
	var name string
	for _, n := range names {
		if strings.HasPrefix(n, d.product+"_") && strings.HasSuffix(n, "_"+d.arch+".deb") {
			name = n
		}
	}
	if name == "" {
		return fmt.Errorf("no .deb of %s for %s was built", d.product, d.arch)
	}
	path := filepath.Join(r.stage, name)
	info, err := exec.Command("dpkg-deb", "--info", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("dpkg-deb --info %s: %w\n%s", name, err, info)
	}
	for _, line := range []string{"Package: " + d.product, "Version: " + version, "Architecture: " + d.arch} {
		if !containsLine(string(info), line) {
			return fmt.Errorf("dpkg-deb --info %s lacks %q:\n%s", name, line, info)
		}
	}
	contents, err := exec.Command("dpkg-deb", "--contents", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("dpkg-deb --contents %s: %w\n%s", name, err, contents)
	}
	f := d.files()
	want := []string{"./lib/systemd/system/" + f.unit}
	for _, c := range f.config {
		want = append(want, "."+c.name)
	}
	cmds := serverCmds
	if d.product == agentCmd {
		cmds = []string{agentCmd}
	}
	for _, c := range cmds {
		want = append(want, "./usr/bin/"+c)
	}
	for _, w := range want {
		if !strings.Contains(string(contents), " "+w+"\n") {
			return fmt.Errorf("dpkg-deb --contents %s does not list %s:\n%s", name, w, contents)
		}
	}
	if err := checkUnit(path, f.unit, cmds[0]); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, line := range strings.Split(string(contents), "\n") {
		for _, c := range cmds {
			if strings.HasSuffix(line, " ./usr/bin/"+c) && !strings.HasPrefix(line, "-rwxr-xr-x root/root") {
				return fmt.Errorf("%s: /usr/bin/%s is not an executable of root: %s", name, c, line)
			}
		}
	}
	return nil
}

// checkRunnable runs the binaries built for this machine, when there are
// any, with --version.
func (r *release) checkRunnable() error {
	for _, p := range platforms {
		if p.goos != runtime.GOOS || p.goarch != runtime.GOARCH {
			continue
		}
		for _, c := range p.cmds {
			out, err := exec.Command(filepath.Join(r.binDir(p), p.exe(c)), "--version").CombinedOutput()
			if got, want := strings.TrimSpace(string(out)), c+" "+r.version; err != nil || got != want {
				return fmt.Errorf("%s --version printed %q (%v), want %q", c, got, err, want)
			}
		}
	}
	return nil
}

// checkUnit reads the package's systemd unit and checks that it starts
// the binary where the package puts it.
func checkUnit(deb, unit, cmd string) error {
	out, err := exec.Command("dpkg-deb", "--fsys-tarfile", deb).Output()
	if err != nil {
		return fmt.Errorf("dpkg-deb --fsys-tarfile: %w", err)
	}
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return fmt.Errorf("no unit %s", unit)
		}
		if err != nil {
			return err
		}
		if h.Name != "./lib/systemd/system/"+unit {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "ExecStart=") {
				if !strings.HasPrefix(line, "ExecStart=/usr/bin/"+cmd) {
					return fmt.Errorf("%s starts %q, not /usr/bin/%s", unit, line, cmd)
				}
				return nil
			}
		}
		return fmt.Errorf("%s has no ExecStart", unit)
	}
}
