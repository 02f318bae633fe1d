package display_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// showWithStill uploads a still to f and puts it on the show's first
// segment; it returns the media item.
func showWithStill(t *testing.T, f *fixture) protocol.Media {
	t.Helper()
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/media?name=nen.png", token: opToken, body: testPNG(t)})
	if rec.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m := decode[protocol.Media](t, rec)
	show := f.engine.Snapshot().Show.Clone()
	show.Segments[0].Media = &controller.Media{Hash: m.Hash, Kind: controller.MediaImage, Type: m.Type, Name: m.Name, Size: m.Size}
	data, err := show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if rec := f.do(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: string(data)}); rec.Code != http.StatusOK {
		t.Fatalf("put the show: %d %s", rec.Code, rec.Body)
	}
	return m
}

// A show exported with its media is imported whole on another server.
func TestShowArchiveTravels(t *testing.T) {
	from, _ := withMedia(t, 1<<20)
	m := showWithStill(t, from)
	rec := from.do(t, request{method: http.MethodGet, path: "/api/v1/show/archive"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %v", rec.Code, rec.Header())
	}
	to, folder := withMedia(t, 1<<20)
	rec = to.do(t, request{method: http.MethodPost, path: "/api/v1/show/archive", token: opToken, body: rec.Body.String()})
	if rec.Code != http.StatusOK {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	got := to.engine.Snapshot().Show.Segments[0].Media
	if got == nil || got.Hash != m.Hash || !folder.Has(m.Hash) {
		t.Fatalf("imported media %+v, held %v", got, folder.Has(m.Hash))
	}
}

// archive makes a ZIP of the entries given.
func archive(t *testing.T, entries map[string][]byte) string {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, data := range entries {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A bad archive is refused and changes nothing: neither the show nor the
// media folder.
func TestBadShowArchivesChangeNothing(t *testing.T) {
	from, _ := withMedia(t, 1<<20)
	m := showWithStill(t, from)
	show, err := from.engine.Snapshot().Show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	still := []byte(testPNG(t))
	tests := []struct {
		name string
		body string
	}{
		{"not a ZIP", "this is no archive"},
		{"no show.json", archive(t, map[string][]byte{"media/" + m.Hash: still})},
		{"a file that is not its name", archive(t, map[string][]byte{"show.json": show, "media/" + m.Hash: append(still, 0)})},
		{"the show's file missing", archive(t, map[string][]byte{"show.json": show})},
		{"a stray entry", archive(t, map[string][]byte{"show.json": show, "media/" + m.Hash: still, "../evil": []byte("x")})},
		{"a broken show", archive(t, map[string][]byte{"show.json": []byte(`{"title":`), "media/" + m.Hash: still})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to, folder := withMedia(t, 1<<20)
			before := to.engine.Snapshot()
			rec := to.do(t, request{method: http.MethodPost, path: "/api/v1/show/archive", token: opToken, body: tt.body})
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("%d %s, want 400", rec.Code, rec.Body)
			}
			if after := to.engine.Snapshot(); after.State.ShowRev != before.State.ShowRev {
				t.Error("a refused archive changed the show")
			}
			if entries, _ := os.ReadDir(folder.Dir()); len(entries) != 0 {
				t.Errorf("a refused archive left %d files", len(entries))
			}
		})
	}
}
