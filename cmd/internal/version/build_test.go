package version_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionFlagOfEveryCommand builds each command as a release does,
// with the version set by the linker, and runs it with --version.
func TestVersionFlagOfEveryCommand(t *testing.T) {
	dir := t.TempDir()
	const want = "v1.2.3-test"
	for _, name := range []string{"phatdong", "phatdong-button", "phatdong-load"} {
		t.Run(name, func(t *testing.T) {
			bin := filepath.Join(dir, name)
			build := exec.Command("go", "build", "-o", bin,
				"-ldflags", "-X github.com/phatdong/phatdong/cmd/internal/version.Version="+want, "../../"+name)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "--version").CombinedOutput()
			if err != nil {
				t.Fatalf("%s --version: %v\n%s", name, err, out)
			}
			if got := strings.TrimSpace(string(out)); got != name+" "+want {
				t.Errorf("%s --version printed %q, want %q", name, got, name+" "+want)
			}
		})
	}
}
