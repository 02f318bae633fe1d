// Package version tells which release of phatdong a binary is. A release
// build sets Version with the linker:
//
//	go build -ldflags "-X github.com/phatdong/phatdong/cmd/internal/version.Version=v1.2.3"
//
// Without it, String falls back to the commit the Go toolchain stamped
// into the binary, and to "dev" when there is none.
package version

import (
	"runtime/debug"
)

// Version is the release, set at link time; empty in a development build.
var Version string

// String is the release of this binary: Version when set, else the VCS
// revision the build recorded (shortened, "+dirty" when the tree was
// modified), else "dev".
func String() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return fromSettings(info.Settings)
}

// fromSettings derives the version from a build's VCS settings.
func fromSettings(settings []debug.BuildSetting) string {
	var rev string
	dirty := false
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "dev-" + rev
}

// Line is what `--version` prints for the command named name:
// "phatdong v1.2.3".
func Line(name string) string {
	return name + " " + String()
}

// Requested reports whether a command's arguments ask only for its
// version: a lone "--version" (or "-version").
func Requested(args []string) bool {
	return len(args) == 1 && (args[0] == "--version" || args[0] == "-version")
}
