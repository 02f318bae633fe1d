package browsertest

import (
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Clip makes a test film of the given length with ffmpeg: a test card
// whose frames show their number, at 25 frames a second, and a 440 Hz
// tone, in VP9 and Opus (WebM), a keyframe every second. It returns the
// file and its length in ms as ffprobe reads it. Without ffmpeg the test
// fails: .ci/test installs it.
func Clip(t testing.TB, seconds int) (path string, durationMs int64) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to make a test film: apt-get install -y ffmpeg (%v)", tool, err)
		}
	}
	path = filepath.Join(t.TempDir(), "phim.webm")
	cmd := exec.Command("ffmpeg", "-v", "error", "-y",
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", strconv.Itoa(seconds),
		"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-g", "25", "-b:v", "300k",
		"-c:a", "libopus", "-b:a", "48k", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: making the test film: %v\n%s", err, out)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: reading the test film's length: %v", err)
	}
	sec, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		t.Fatalf("ffprobe: the test film's length %q: %v", out, err)
	}
	return path, int64(math.Round(sec * 1000))
}
