package pagetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

// testClip makes a 3-second VP9 WebM with ffmpeg, as the screens will
// play it; the test is skipped where ffmpeg is missing.
func testClip(t *testing.T) []byte {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed")
	}
	out := filepath.Join(t.TempDir(), "clip.webm")
	cmd := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25",
		"-t", "3", "-c:v", "libvpx-vp9", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testStill is a small PNG: a gold square.
func testStill(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for y := 0; y < 36; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.RGBA{R: 0xf2, G: 0xc1, B: 0x4e, A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// chooseMedia opens the media slot of segment i and picks a file made of
// data, as the file chooser would hand it to the page.
func (p *page) chooseMedia(i int, name, typ string, data []byte) {
	p.t.Helper()
	card := `document.querySelector('.seg[data-index="` + strconv.Itoa(i) + `"]')`
	p.js(card + `.querySelector('[data-act="media-pick"]').click()`)
	p.js(`(() => { const bin = atob(` + quote(base64.StdEncoding.EncodeToString(data)) + `);
		const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
		const dt = new DataTransfer(); dt.items.add(new File([bytes], ` + quote(name) + `, {type: ` + quote(typ) + `}));
		const input = document.getElementById("ed-media-file"); input.files = dt.files;
		input.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

// segmentIndex is the index of the segment with the id in the server's show.
func segmentIndex(t *testing.T, s *server, id string) int {
	t.Helper()
	for i, g := range s.engine.Snapshot().Show.Segments {
		if g.ID == id {
			return i
		}
	}
	t.Fatalf("no segment %q", id)
	return -1
}

// The editor's media slot: a still and a film uploaded, the film's length
// read in the page and made the segment's (read-only) duration, both saved
// with the show; a text file named .mp4 refused in Vietnamese with nothing
// changed; "Bỏ tệp" detaches.
func TestEditorMedia(t *testing.T) {
	clip, still := testClip(t), testStill(t)
	s := startServer(t)
	film, welcome := segmentIndex(t, s, "phong-su"), segmentIndex(t, s, "don-tiep")
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1600, 1000)
	ed.wait(`document.querySelectorAll(".seg .media-slot").length === 9`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	slot := func(i int) string {
		return `document.querySelector('.seg[data-index="` + strconv.Itoa(i) + `"] .media-slot')`
	}

	ed.chooseMedia(welcome, "chao-mung.png", "image/png", still)
	ed.wait(slot(welcome)+`.querySelector(".media-name")?.textContent === "chao-mung.png"`, 10*time.Second, slot(welcome)+`.innerText`)
	ed.wait(slot(welcome)+`.querySelector("img.media-thumb")?.naturalWidth === 64`, 5*time.Second, slot(welcome)+`.innerHTML`)

	ed.chooseMedia(film, "phong-su.webm", "video/webm", clip)
	ed.wait(slot(film)+`.querySelector(".media-name")?.textContent === "phong-su.webm"`, 20*time.Second, slot(film)+`.innerText`)
	dur := `document.querySelector('[data-path="segments[` + strconv.Itoa(film) + `].durationSec"]')`
	if got := eval[string](ed, dur+`.value`); got != "0:03" {
		t.Errorf("the film segment's duration shows %q, want 0:03", got)
	}
	if !eval[bool](ed, dur+`.readOnly`) || !strings.Contains(eval[string](ed, dur+`.closest(".field").textContent`), "theo độ dài phim") {
		t.Error("the film segment's duration is not read-only, by the film's length")
	}
	if meta := eval[string](ed, slot(film)+`.querySelector(".media-meta").textContent`); !strings.Contains(meta, "Phim") || !strings.Contains(meta, "dài 3 giây") {
		t.Errorf("the film's line: %q", meta)
	}
	if !eval[bool](ed, slot(film)+`.querySelector("video.media-thumb") !== null`) {
		t.Error("no preview of the film")
	}

	ed.click("ed-save")
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 10*time.Second, `document.getElementById("ed-status").textContent + " " + document.getElementById("ed-alert").innerText`)
	segs := s.engine.Snapshot().Show.Segments
	m := segs[film].Media
	if m == nil || m.Hash != sha(clip) || m.Kind != controller.MediaVideo || m.Type != "video/webm" || m.Name != "phong-su.webm" || m.Size != int64(len(clip)) {
		t.Fatalf("the server's film: %+v", m)
	}
	if m.DurationMs < 2900 || m.DurationMs > 3100 || segs[film].DurationSec != 3 {
		t.Errorf("the film lasts %d ms, its segment %d s; want ≈3000 ms and 3 s", m.DurationMs, segs[film].DurationSec)
	}
	if m := segs[welcome].Media; m == nil || m.Hash != sha(still) || m.Kind != controller.MediaImage || m.Type != "image/png" || m.DurationMs != 0 {
		t.Fatalf("the server's still: %+v", m)
	}

	// A text file named .mp4: refused in Vietnamese, the film stays, the
	// show is not even marked changed.
	rev := s.engine.Snapshot().State.ShowRev
	ed.chooseMedia(film, "gia.mp4", "video/mp4", []byte("không phải phim, chỉ là chữ\n"))
	ed.wait(slot(film)+`.querySelector(".media-err").textContent !== ""`, 10*time.Second, slot(film)+`.innerText`)
	if msg := eval[string](ed, slot(film)+`.querySelector(".media-err").textContent`); !strings.Contains(msg, "Không phải phim MP4/WebM hay ảnh PNG/JPEG/WebP") {
		t.Errorf("refusal %q", msg)
	}
	if name := eval[string](ed, slot(film)+`.querySelector(".media-name")?.textContent || ""`); name != "phong-su.webm" {
		t.Errorf("after a refused file the slot shows %q", name)
	}
	if !eval[bool](ed, `document.getElementById("ed-status").classList.contains("saved")`) {
		t.Error("a refused file marked the show changed")
	}
	if snap := s.engine.Snapshot(); snap.State.ShowRev != rev || snap.Show.Segments[film].Media.Hash != sha(clip) {
		t.Errorf("a refused file changed the server's show: rev %d→%d", rev, snap.State.ShowRev)
	}

	// "Bỏ tệp" detaches the still; saved, the server's segment has none.
	ed.js(slot(welcome) + `.querySelector('[data-act="media-remove"]').click()`)
	ed.wait(slot(welcome)+`.querySelector(".media-name") === null`, 5*time.Second, slot(welcome)+`.innerText`)
	ed.click("ed-save")
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 10*time.Second, `document.getElementById("ed-status").textContent`)
	if m := s.engine.Snapshot().Show.Segments[welcome].Media; m != nil {
		t.Errorf("the still is still attached: %+v", m)
	}
	ed.checkConsole("/api/v1/media")
}
