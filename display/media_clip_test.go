// Helpers of the film test (media_browser_test.go): test files made with
// ffmpeg, uploaded through the API, and the server that plays them.

package display

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static/browsertest"
)

// makeClip makes a test film of the given length (browsertest.Clip).
func makeClip(t *testing.T, seconds int) (string, int64) { return browsertest.Clip(t, seconds) }

// makeStill makes a small PNG still.
func makeStill(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for i := range img.Pix {
		img.Pix[i] = 0xc0
	}
	img.Set(1, 1, color.RGBA{R: 0xd0, A: 0xff})
	path := filepath.Join(t.TempDir(), "anh.png")
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// uploadMedia posts a file to POST /api/v1/media as an operator and
// returns the media item the server made of it.
func uploadMedia(t *testing.T, baseURL, token, path string) protocol.Media {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/api/v1/media?name="+filepath.Base(path), f)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("uploading %s: %v", path, err)
	}
	defer res.Body.Close()
	var m protocol.Media
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("uploading %s: status %d, %v", path, res.StatusCode, err)
	}
	if m.Hash == "" {
		t.Fatal(fmt.Errorf("uploading %s: no hash in the answer", path))
	}
	return m
}

// filmSleepUntil sleeps until d after the server instant ms.
func filmSleepUntil(ms int64, d time.Duration) {
	time.Sleep(time.Until(time.UnixMilli(ms).Add(d)))
}

// filmPct is the p-th percentile of sorted values.
func filmPct(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// filmMedia is the controller's media item for an uploaded one.
func filmMedia(m protocol.Media) *controller.Media {
	return &controller.Media{Hash: m.Hash, Kind: controller.MediaKind(m.Kind), Type: m.Type, Name: m.Name, Size: m.Size, DurationMs: m.DurationMs}
}

// filmServer runs the real server, pages and a media folder included, on
// 127.0.0.1:0.
func filmServer(t *testing.T) (*controller.Engine, *Hub, *httptest.Server) {
	t.Helper()
	folder, err := media.Open(filepath.Join(t.TempDir(), "media"), 0)
	if err != nil {
		t.Fatal(err)
	}
	return pageServer(t, filmOperator, func(c *Config) { c.Media = folder })
}

// filmReported waits for the hub to hold, from n stage screens, the state
// state of the media item hash, and returns the reports.
func filmReported(t *testing.T, hub *Hub, hash, state string, n int) []protocol.MediaReadiness {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var got []protocol.MediaReadiness
		for _, d := range hub.Devices() {
			for _, m := range d.Media {
				if d.Role == RoleStage && m.Hash == hash && m.State == state {
					got = append(got, m)
				}
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server holds %d stages' %q report of %s, want %d: %+v", len(got), state, hash[:8], n, hub.Devices())
		}
	}
}
