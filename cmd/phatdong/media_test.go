package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// A still added to the show on the primary reaches the standby's media
// folder, so a takeover shows it too; a show naming a file the server
// does not hold is refused.
func TestTheStandbyHoldsTheShowsMedia(t *testing.T) {
	primary, standby := startPair(t)
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 48, 27))); err != nil {
		t.Fatal(err)
	}
	code, body := call(t, "POST", primary.url("/api/v1/media?name=nen.png"), testToken, b.String())
	if code != 200 {
		t.Fatalf("upload: %d %s", code, body)
	}
	var m protocol.Media
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	show := primary.engine.Snapshot().Show.Clone()
	missing := *show
	missing.Segments = append(missing.Segments[:0:0], show.Segments...)
	missing.Segments[0].Media = mediaOf(m)
	missing.Segments[0].Media.Hash = "0000000000000000000000000000000000000000000000000000000000000000"
	if code, body := call(t, "PUT", primary.url("/api/v1/show"), testToken, showJSON(t, &missing)); code != 400 || !bytes.Contains(body, []byte("segments[0].media.hash")) {
		t.Fatalf("a show naming a file not held: %d %s", code, body)
	}
	show.Segments[0].Media = mediaOf(m)
	if code, body := call(t, "PUT", primary.url("/api/v1/show"), testToken, showJSON(t, show)); code != 200 {
		t.Fatalf("the show with the still: %d %s", code, body)
	}
	waitFor(t, 15*time.Second, "the standby holds the still", func() bool { return standby.api != nil && fileIn(standby, m.Hash) })
	got, err := os.ReadFile(standby.cfg.DB + ".media/" + m.Hash)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("the standby's copy differs (%v)", err)
	}
	if p := primary.nats.pairStatus(); p.MediaMissing != 0 {
		t.Errorf("the primary says the standby lacks %d files", p.MediaMissing)
	}

	// A file the standby cannot get (lost from both folders): both
	// servers' operators are told, as long as it lacks it.
	for _, r := range []*running{primary, standby} {
		if err := os.Remove(r.cfg.DB + ".media/" + m.Hash); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 15*time.Second, "both servers saying the standby lacks a file", func() bool {
		return primary.nats.pairStatus().MediaMissing == 1 && standby.nats.pairStatus().MediaMissing == 1
	})
}

func fileIn(r *running, hash string) bool {
	_, err := os.Stat(r.cfg.DB + ".media/" + hash)
	return err == nil
}

// mediaOf is the domain's media item of an upload's answer.
func mediaOf(m protocol.Media) *controller.Media {
	return &controller.Media{Hash: m.Hash, Kind: controller.MediaKind(m.Kind), Type: m.Type, Name: m.Name, Size: m.Size, DurationMs: m.DurationMs}
}

// showJSON is show as a show file.
func showJSON(t *testing.T, show *controller.Show) string {
	t.Helper()
	b, err := show.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A show file naming a film the media folder does not hold is refused at
// start, with what to do.
func TestShowFileNamingMissingMedia(t *testing.T) {
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	show.Segments[3].Media = &controller.Media{Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Kind: controller.MediaVideo, Type: "video/mp4", Name: "phong-su.mp4", Size: 1 << 20, DurationMs: 480_000}
	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.ShowFile = writeFile(t, "show.json", showJSON(t, show))
	_, err = Open(cfg, quiet)
	if err == nil || !strings.Contains(err.Error(), "phong-su.mp4") || !strings.Contains(err.Error(), "archive") {
		t.Fatalf("a show naming a missing film: %v", err)
	}
	if _, err := os.Stat(cfg.DB); err == nil {
		t.Error("the refused show file still created the database")
	}
}
