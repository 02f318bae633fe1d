package display_test

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/media"
	"github.com/phatdong/phatdong/protocol"
)

// withMedia is a fixture whose media folder takes files up to limit bytes.
func withMedia(t *testing.T, limit int64) (*fixture, *media.Store) {
	t.Helper()
	folder, err := media.Open(filepath.Join(t.TempDir(), "media"), limit)
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureWith(t, os.Stderr, func(c *display.Config) { c.Media = folder }), folder
}

func testPNG(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 32, 18))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// An operator uploads a still; every screen can fetch it, with ranges.
func TestUploadAndServeMedia(t *testing.T) {
	f, folder := withMedia(t, 1<<20)
	still := testPNG(t)
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/media?name=%E1%BA%A2nh%20n%E1%BB%81n.png", token: opToken, body: still})
	if rec.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m := decode[protocol.Media](t, rec)
	if m.Kind != "image" || m.Type != "image/png" || m.Name != "Ảnh nền.png" || m.Size != int64(len(still)) || !folder.Has(m.Hash) {
		t.Fatalf("media %+v", m)
	}
	got := f.doWith(t, request{method: http.MethodGet, path: "/media/" + m.Hash}, func(r *http.Request) { r.Header.Set("Range", "bytes=0-7") })
	if got.Code != http.StatusPartialContent || got.Body.String() != still[:8] || got.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("fetch: %d %q %v", got.Code, got.Body.String(), got.Header())
	}
}

// A refused upload says why and leaves the folder as it was.
func TestUploadRefusals(t *testing.T) {
	f, folder := withMedia(t, 4096)
	still := testPNG(t)
	tests := []struct {
		name  string
		req   request
		code  int
		error string
	}{
		{"no token", request{method: http.MethodPost, path: "/api/v1/media", body: still}, http.StatusUnauthorized, "unauthorized"},
		{"a button's key", request{method: http.MethodPost, path: "/api/v1/media", token: buttonKey, body: still}, http.StatusForbidden, "forbidden"},
		{"text named .mp4", request{method: http.MethodPost, path: "/api/v1/media?name=phim.mp4", token: opToken, body: "not a film at all"}, http.StatusBadRequest, "invalid"},
		{"empty", request{method: http.MethodPost, path: "/api/v1/media", token: opToken}, http.StatusBadRequest, "invalid"},
		{"too large", request{method: http.MethodPost, path: "/api/v1/media", token: opToken, body: still + string(make([]byte, 5000))}, http.StatusRequestEntityTooLarge, "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.do(t, tt.req)
			if rec.Code != tt.code || errorOf(t, rec).Code != tt.error {
				t.Fatalf("%d %s, want %d %s", rec.Code, rec.Body, tt.code, tt.error)
			}
			entries, _ := os.ReadDir(folder.Dir())
			if len(entries) != 0 {
				t.Fatalf("the folder holds %d files after a refusal", len(entries))
			}
		})
	}
	if rec := f.do(t, request{method: http.MethodGet, path: "/media/" + string(bytes.Repeat([]byte("a"), 64))}); rec.Code != http.StatusNotFound {
		t.Errorf("a file not there: %d", rec.Code)
	}
}
