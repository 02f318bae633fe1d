package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

// debSpec is one .deb package.
type debSpec struct {
	product string   // the package's name
	p       platform // the build it packs
	arch    string   // Debian's name of the CPU: amd64, arm64, armhf
}

// debs are the release's packages: the server for PCs and 64-bit Pis, the
// agent for 64-bit and 32-bit Raspberry Pi OS (its armhf takes ARMv6).
func debs() []debSpec {
	find := func(goarch, goarm string) platform {
		for _, p := range platforms {
			if p.goos == "linux" && p.goarch == goarch && p.goarm == goarm {
				return p
			}
		}
		panic("release: no platform linux/" + goarch + goarm)
	}
	return []debSpec{
		{product: "phatdong", p: find("amd64", ""), arch: "amd64"},
		{product: "phatdong", p: find("arm64", ""), arch: "arm64"},
		{product: agentCmd, p: find("arm64", ""), arch: "arm64"},
		{product: agentCmd, p: find("arm", "6"), arch: "armhf"},
	}
}

// debFiles are what a package installs, besides its binaries.
type debFiles struct {
	unitSrc, unit string // the systemd unit in the repository, and its name
	config        []member
	description   string
	postinst      string
}

func (d debSpec) files() debFiles {
	if d.product == agentCmd {
		return debFiles{
			unitSrc: "deploy/pi/phatdong-button.service", unit: "phatdong-button.service",
			config:      []member{{name: "/etc/phatdong/button.conf.example", src: "deploy/pi/button.conf.example"}},
			description: "Launch button agent of phatdong for a Raspberry Pi.\nReads a push button on GPIO, sends each press to the phatdong server and\ndrives the button's LED. Configure /etc/phatdong/button.conf, then\nsystemctl enable --now phatdong-button.",
			postinst:    agentPostinst,
		}
	}
	return debFiles{
		unitSrc: "deploy/server/phatdong.service", unit: "phatdong.service",
		config:      []member{{name: "/etc/default/phatdong", src: "deploy/server/phatdong.default"}},
		description: "Run-of-show server of phatdong, for ceremonies with a networked launch button.\nServes the stage, presenter, MC and editor pages, the API and the\nwebsockets; data in /var/lib/phatdong.",
		postinst:    serverPostinst,
	}
}

// The packages' post-installation scripts: the service's system user,
// then systemd told of the unit. The server starts at once (it runs on the
// built-in show); the agent waits for its configuration.
const (
	serverPostinst = `#!/bin/sh
set -e
if ! getent passwd phatdong >/dev/null; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin phatdong
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable phatdong.service >/dev/null
  systemctl restart phatdong.service
  echo "phatdong is running: journalctl -u phatdong -n 60 shows its links and operator token"
fi
`
	agentPostinst = `#!/bin/sh
set -e
getent group gpio >/dev/null || groupadd --system gpio
if ! getent passwd phatdong >/dev/null; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin phatdong
fi
usermod -a -G gpio phatdong
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ -f /etc/phatdong/button.conf ]; then
    systemctl enable phatdong-button.service >/dev/null
    systemctl restart phatdong-button.service
  else
    echo "phatdong-button: copy /etc/phatdong/button.conf.example to /etc/phatdong/button.conf, set server, key and button, then: systemctl enable --now phatdong-button"
  fi
fi
`
	preremove = `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl disable --now %s >/dev/null 2>&1 || true
fi
`
)

// deb builds one package into the staging folder.
func (r *release) deb(d debSpec) (string, error) {
	f := d.files()
	work, err := os.MkdirTemp(r.stage, "deb-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	unit, err := os.ReadFile(r.path(f.unitSrc))
	if err != nil {
		return "", fmt.Errorf("deb %s: %w", d.product, err)
	}
	// The agent's unit names the binary where deploy/pi/install.sh puts
	// it; a package puts it in /usr/bin.
	unit = bytes.ReplaceAll(unit, []byte("/usr/local/bin/"), []byte("/usr/bin/"))
	write := func(name string, data []byte, mode os.FileMode) (string, error) {
		path := filepath.Join(work, name)
		return path, os.WriteFile(path, data, mode)
	}
	unitPath, err := write(f.unit, unit, 0o644)
	if err != nil {
		return "", err
	}
	postinst, err := write("postinst", []byte(f.postinst), 0o755)
	if err != nil {
		return "", err
	}
	prerm, err := write("prerm", fmt.Appendf(nil, preremove, f.unit), 0o755)
	if err != nil {
		return "", err
	}
	var contents files.Contents
	cmds := []string{agentCmd}
	if d.product != agentCmd {
		cmds = serverCmds
	}
	for _, c := range cmds {
		contents = append(contents, &files.Content{Source: filepath.Join(r.binDir(d.p), c), Destination: "/usr/bin/" + c,
			FileInfo: &files.ContentFileInfo{Mode: 0o755}})
	}
	contents = append(contents, &files.Content{Source: unitPath, Destination: "/lib/systemd/system/" + f.unit,
		FileInfo: &files.ContentFileInfo{Mode: 0o644}})
	for _, c := range f.config {
		contents = append(contents, &files.Content{Source: r.path(c.src), Destination: c.name, Type: files.TypeConfigNoReplace,
			FileInfo: &files.ContentFileInfo{Mode: 0o644}})
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name: d.product, Arch: d.arch, Platform: "linux", Version: r.version,
		Section: "net", Priority: "optional", Maintainer: "phatdong <phatdong@users.noreply.github.com>",
		Description: f.description, Homepage: "https://github.com/phatdong/phatdong", MTime: archiveTime,
		Overridables: nfpm.Overridables{
			Depends:  []string{"passwd"},
			Contents: contents,
			Scripts:  nfpm.Scripts{PostInstall: postinst, PreRemove: prerm},
			// gzip, which every dpkg reads; nfpm's default level 9 takes
			// several times longer than 6 for a few per cent.
			Deb: nfpm.Deb{Compression: "gzip:6"},
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return "", fmt.Errorf("deb %s %s: %w", d.product, d.arch, err)
	}
	name := deb.Default.ConventionalFileName(info)
	out, err := os.Create(filepath.Join(r.stage, name))
	if err != nil {
		return "", err
	}
	err = deb.Default.Package(info, out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("deb %s %s: %w", d.product, d.arch, err)
	}
	return name, nil
}
