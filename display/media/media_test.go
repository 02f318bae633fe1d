package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 36))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mp4Head is the start of an MP4 file: its ftyp box.
var mp4Head = []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")

// webmHead is the start of a WebM file: an EBML header naming its doctype.
var webmHead = []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04")

func listing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestPutTakesFilmsAndStillsByTheirContent(t *testing.T) {
	s, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, typ string
		data      []byte
	}{
		{"a PNG", "image/png", pngBytes(t)},
		{"an MP4", "video/mp4", append(append([]byte{}, mp4Head...), bytes.Repeat([]byte{7}, 5000)...)},
		{"a WebM", "video/webm", append(append([]byte{}, webmHead...), bytes.Repeat([]byte{9}, 5000)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := s.Put(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)
			if info.Hash != hex.EncodeToString(sum[:]) || info.Type != tt.typ || info.Size != int64(len(tt.data)) || !info.New {
				t.Fatalf("info %+v", info)
			}
			got, err := os.ReadFile(s.Path(info.Hash))
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Fatalf("the stored file differs (%v)", err)
			}
			again, err := s.Put(bytes.NewReader(tt.data))
			if info.New = false; err != nil || again != info {
				t.Fatalf("the same file again: %+v %v", again, err)
			}
		})
	}
	if n := len(listing(t, s.Dir())); n != len(tests) {
		t.Errorf("the folder holds %d files, want %d: %v", n, len(tests), listing(t, s.Dir()))
	}
}

func TestPutRefusesAndLeavesNothing(t *testing.T) {
	s, err := Open(t.TempDir(), 4096)
	if err != nil {
		t.Fatal(err)
	}
	matroska := bytes.Replace(webmHead, []byte("webm"), []byte("mkv!"), 1)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"text named .mp4", []byte("this is not a film, whatever its name says"), ErrUnsupported},
		{"a Matroska that is no WebM", matroska, ErrUnsupported},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrUnsupported},
		{"too large", append(append([]byte{}, mp4Head...), make([]byte, 5000)...), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Put(bytes.NewReader(tt.data)); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if names := listing(t, s.Dir()); len(names) != 0 {
				t.Fatalf("a refused upload left %v", names)
			}
		})
	}
	broken := io.MultiReader(bytes.NewReader(mp4Head), failing{errors.New("the connection dropped")})
	if _, err := s.Put(broken); err == nil || len(listing(t, s.Dir())) != 0 {
		t.Fatalf("an upload cut short: %v, left %v", err, listing(t, s.Dir()))
	}
}

// failing is a reader that fails with err.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

func TestServeAnswersRangesAndCachesForGood(t *testing.T) {
	s, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	data := append(append([]byte{}, mp4Head...), bytes.Repeat([]byte("0123456789"), 100)...)
	info, err := s.Put(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Serve(w, r, strings.TrimPrefix(r.URL.Path, "/media/"))
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/media/"+info.Hash, nil)
	req.Header.Set("Range", "bytes=100-199")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[100:200]) {
		t.Fatalf("range: %d, %d bytes", resp.StatusCode, len(body))
	}
	h := resp.Header
	if h.Get("Content-Type") != "video/mp4" || h.Get("ETag") != `"`+info.Hash+`"` || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Errorf("headers %v", h)
	}
	req.Header.Del("Range")
	req.Header.Set("If-None-Match", `"`+info.Hash+`"`)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("a cached copy: %v %v", resp.StatusCode, err)
	}
	for _, bad := range []string{"../media.go", strings.Repeat("0", 64), "ABC"} {
		resp, err := http.Get(srv.URL + "/media/" + bad)
		if err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("%q: %v %v", bad, resp.StatusCode, err)
		}
	}
}
