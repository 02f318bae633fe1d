package main

import (
	"archive/tar"
	"archive/zip"
	"debug/buildinfo"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// member is one file of an archive or a package.
type member struct {
	name string // its name in the archive, under the top folder
	src  string // the file on disk; "" when data holds it
	data []byte
	exec bool
}

// archiveSpec is one archive: a platform's binaries with their notes.
type archiveSpec struct {
	product string // phatdong or phatdong-button
	p       platform
	cmds    []string
	extra   []member // repository files, src relative to the repository
}

// archives are the release's archives: the server and load tool for
// every platform, the agent for every Pi.
func archives() []archiveSpec {
	var out []archiveSpec
	for _, p := range platforms {
		if hasCmd(p, "phatdong") {
			a := archiveSpec{product: "phatdong", p: p, cmds: serverCmds, extra: []member{
				{name: "SERVICE.md", src: "deploy/server/README.md"},
				{name: "FONT-LICENSE-OFL.txt", src: "static/fonts/OFL.txt"},
			}}
			if p.goos == "linux" {
				a.extra = append(a.extra,
					member{name: "phatdong.service", src: "deploy/server/phatdong.service"},
					member{name: "phatdong.default", src: "deploy/server/phatdong.default"})
			}
			out = append(out, a)
		}
		if hasCmd(p, agentCmd) {
			out = append(out, archiveSpec{product: agentCmd, p: p, cmds: []string{agentCmd}, extra: []member{
				{name: "PI.md", src: "deploy/pi/README.md"},
				{name: "button.conf.example", src: "deploy/pi/button.conf.example"},
				{name: "phatdong-button.service", src: "deploy/pi/phatdong-button.service"},
				{name: "install.sh", src: "deploy/pi/install.sh", exec: true},
			}})
		}
	}
	return out
}

func hasCmd(p platform, cmd string) bool {
	for _, c := range p.cmds {
		if c == cmd {
			return true
		}
	}
	return false
}

// base is the archive's name without its extension, also its top folder.
func (a archiveSpec) base(version string) string {
	return a.product + "_" + strings.TrimPrefix(version, "v") + "_" + a.p.name()
}

// fileName is the archive's file name: a zip for Windows, else a tar.gz.
func (a archiveSpec) fileName(version string) string {
	if a.p.goos == "windows" {
		return a.base(version) + ".zip"
	}
	return a.base(version) + ".tar.gz"
}

// binaries are the archive's binaries' names.
func (a archiveSpec) binaries() []string {
	var out []string
	for _, c := range a.cmds {
		out = append(out, a.p.exe(c))
	}
	return out
}

// archive writes one archive into the staging folder.
func (r *release) archive(a archiveSpec) (string, error) {
	var members []member
	var bins []string
	for _, exe := range a.binaries() {
		path := filepath.Join(r.binDir(a.p), exe)
		members = append(members, member{name: exe, src: path, exec: true})
		bins = append(bins, path)
	}
	notes, err := thirdParty(bins, a.product == "phatdong")
	if err != nil {
		return "", err
	}
	members = append(members,
		member{name: "README.txt", data: []byte(readme(a, r.version))},
		member{name: "THIRD_PARTY.txt", data: notes})
	for _, e := range a.extra {
		e.src = r.path(e.src)
		members = append(members, e)
	}
	name := a.fileName(r.version)
	f, err := os.Create(filepath.Join(r.stage, name))
	if err != nil {
		return "", fmt.Errorf("archive %s: %w", name, err)
	}
	top := a.base(r.version) + "/"
	if a.p.goos == "windows" {
		err = writeZip(f, top, members)
	} else {
		err = writeTarGz(f, top, members)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("archive %s: %w", name, err)
	}
	return name, nil
}

// open returns the member's content.
func (m member) open() (io.ReadCloser, int64, error) {
	if m.src == "" {
		return io.NopCloser(strings.NewReader(string(m.data))), int64(len(m.data)), nil
	}
	f, err := os.Open(m.src)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func (m member) mode() int64 {
	if m.exec {
		return 0o755
	}
	return 0o644
}

// archiveTime is every archive member's time: the same in every archive.
var archiveTime = time.Now().UTC().Truncate(time.Second)

func writeTarGz(w io.Writer, top string, members []member) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: top, Mode: 0o755, ModTime: archiveTime}); err != nil {
		return err
	}
	for _, m := range members {
		rc, size, err := m.open()
		if err != nil {
			return err
		}
		err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: top + m.name, Mode: m.mode(), Size: size, ModTime: archiveTime})
		if err == nil {
			_, err = io.Copy(tw, rc)
		}
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, top string, members []member) error {
	zw := zip.NewWriter(w)
	for _, m := range members {
		rc, _, err := m.open()
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: top + m.name, Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(os.FileMode(m.mode()))
		fw, err := zw.CreateHeader(h)
		if err == nil {
			_, err = io.Copy(fw, rc)
		}
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return zw.Close()
}

// thirdParty lists the Go modules linked into the binaries, from their
// own build information.
func thirdParty(bins []string, pages bool) ([]byte, error) {
	mods := map[string]string{}
	var goVersion string
	for _, b := range bins {
		info, err := buildinfo.ReadFile(b)
		if err != nil {
			return nil, fmt.Errorf("read the build information of %s: %w", b, err)
		}
		goVersion = info.GoVersion
		for _, d := range info.Deps {
			mods[d.Path] = d.Version
		}
	}
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "Third-party software in these binaries\n\n"+
		"The binaries are built with Go %s (BSD-style licence, https://go.dev/LICENSE)\n"+
		"and link the Go modules below, each under its own licence, found in the\n"+
		"module's source at the version named.\n", strings.TrimPrefix(goVersion, "go"))
	if pages {
		b.WriteString("The server's pages embed the Be Vietnam Pro typeface, under the SIL Open\n" +
			"Font License (FONT-LICENSE-OFL.txt).\n")
	}
	b.WriteString("\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %s %s\n", n, mods[n])
	}
	return []byte(b.String()), nil
}
