package pagetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
	"github.com/phatdong/phatdong/static/browsertest"
)

// testClip is a 3-second test film (browsertest.Clip), as the screens
// will play it, with its length as ffprobe reads it.
func testClip(t *testing.T) ([]byte, int64) {
	t.Helper()
	path, ms := browsertest.Clip(t, 3)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, ms
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
	clip, clipMs := testClip(t)
	still := testStill(t)
	// The segment lasts the film, rounded up to a second (an Opus track
	// makes the clip a few ms longer than 3 s).
	clipSec := int((clipMs + 999) / 1000)
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
	if got, want := eval[string](ed, dur+`.value`), fmt.Sprintf("0:%02d", clipSec); got != want {
		t.Errorf("the film segment's duration shows %q, want %s", got, want)
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
	if m.DurationMs < clipMs-100 || m.DurationMs > clipMs+100 || segs[film].DurationSec != clipSec {
		t.Errorf("the film lasts %d ms, its segment %d s; want ≈%d ms and %d s", m.DurationMs, segs[film].DurationSec, clipMs, clipSec)
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

// The MC on a film segment: the film in the current card and, before
// Start, each stage screen's readiness as fake screens report it (loading,
// ready, a length that differs from the show's, a file error), with the
// summary; the ±1 min buttons hidden and the + key only a note.
func TestMCMedia(t *testing.T) {
	s := startServer(t)
	show, err := controller.DefaultShow()
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.Repeat("ab", 32)
	// The server must hold a file the show names; the fake screens never
	// fetch it, so any bytes under its name do.
	if err := os.WriteFile(s.test.Media.Path(hash), []byte("a film's bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range show.Segments {
		if show.Segments[i].ID == "phong-su" {
			show.Segments[i].Media = &controller.Media{Hash: hash, Kind: controller.MediaVideo, Type: "video/webm", Name: "phong-su.webm", Size: 84_000_000, DurationMs: 512_000}
		}
	}
	body, err := json.Marshal(show)
	if err != nil {
		t.Fatal(err)
	}
	s.putShow(t, string(body))
	s.command(t, `{"type":"goto","segment":"phong-su"}`)
	ws := "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"
	led := protocoltest.Dial(t, ws, protocoltest.Stage("LED chính"))
	left := protocoltest.Dial(t, ws, protocoltest.Stage("Máy chiếu trái"))
	report := func(c *protocoltest.Conn, r protocol.MediaReadiness) {
		t.Helper()
		c.Send(protocol.ReportMsg{Type: protocol.TypeReport, Media: &r})
	}

	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.wait(`!document.getElementById("cur-media").hidden`, 5*time.Second, `document.getElementById("cur-media").outerHTML`)
	if got := mc.text("cm-what"); got != "Phim · phong-su.webm · 8 phút 32 giây · 80,1 MB" {
		t.Errorf("the film's line: %q", got)
	}
	if !eval[bool](mc, `document.getElementById("btn-plus").hidden && document.getElementById("btn-minus").hidden`) {
		t.Error("±1 min shown on a film segment")
	}
	mc.wait(`document.getElementById("cm-summary")?.textContent === "0/2 màn hình sẵn sàng"`, 5*time.Second, `document.getElementById("cur-media").innerText`)

	screen := func(name string) string {
		return `[...document.querySelectorAll("#cm-screens li")].find((li) => li.querySelector(".cm-name").textContent === ` + quote(name) + `)`
	}
	report(led, protocol.MediaReadiness{Hash: hash, State: protocol.MediaLoading, Progress: 0.64})
	mc.wait(screen("LED chính")+`?.querySelector(".cm-state").textContent === "đang tải 64 %"`, 8*time.Second, `document.getElementById("cur-media").innerText`)

	report(led, protocol.MediaReadiness{Hash: hash, State: protocol.MediaReady, Progress: 1, DurationMs: 512_040})
	report(left, protocol.MediaReadiness{Hash: hash, State: protocol.MediaReady, Progress: 1, DurationMs: 498_000})
	mc.wait(`document.getElementById("cm-summary").textContent === "2/2 màn hình sẵn sàng"`, 8*time.Second, `document.getElementById("cur-media").innerText`)
	if st := eval[string](mc, screen("LED chính")+`.innerText`); !strings.Contains(st, "đã sẵn sàng") || strings.Contains(st, "Màn hình đọc được") {
		t.Errorf("the LED screen, 40 ms off: %q", st)
	}
	if w := eval[string](mc, screen("Máy chiếu trái")+`.querySelector(".cm-warn")?.textContent || ""`); !strings.Contains(w, "8 phút 18 giây") || !strings.Contains(w, "8 phút 32 giây") {
		t.Errorf("no warning for a film read 14 s shorter: %q", w)
	}

	report(left, protocol.MediaReadiness{Hash: hash, State: protocol.MediaError, Error: "không giải mã được"})
	mc.wait(screen("Máy chiếu trái")+`?.querySelector(".cm-state").textContent === "lỗi tệp: không giải mã được"`, 8*time.Second, `document.getElementById("cur-media").innerText`)
	if got := mc.text("cm-summary"); got != "1/2 màn hình sẵn sàng" {
		t.Errorf("summary %q", got)
	}

	// The + key says why it does nothing; the server's clock is untouched.
	mc.do(chromedp.KeyEvent("+"))
	mc.wait(`[...document.querySelectorAll(".toast")].some((e) => e.textContent.includes("theo độ dài phim"))`, 5*time.Second, `document.getElementById("toasts")?.innerText`)

	// Once started, the card keeps the film but not the readiness list.
	mc.click("btn-startstop")
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng" && !document.getElementById("cm-screens")`, 5*time.Second, `document.getElementById("cur-media").innerText`)
	if run := s.engine.Snapshot().State.Timer; run.AddedMs != 0 {
		t.Errorf("time added to the film: %+v", run)
	}

	// The next segment has no film: its card has no media, ± are back.
	mc.click("btn-next")
	mc.wait(`document.getElementById("cur-media").hidden && !document.getElementById("btn-plus").hidden && !document.getElementById("btn-minus").hidden`, 5*time.Second, `document.getElementById("cur-title").textContent`)
	mc.checkConsole()
}

// The MC's reading of a screen's readiness report (mc-media.js): the
// words for each state, and the flag on a length more than 1 s off the
// show's.
func TestMCMediaReadinessRules(t *testing.T) {
	tab := openModule(t, "mc-media.js")
	media := `{hash: "h", kind: "video", durationMs: 512000}`
	for _, tc := range []struct {
		name, media string // the device's media list, as JavaScript
		text        string
		ready, warn bool
	}{
		{"no report", `[]`, "chưa báo tình trạng", false, false},
		{"another file", `[{hash: "x", state: "ready", progress: 1}]`, "chưa báo tình trạng", false, false},
		{"loading", `[{hash: "h", state: "loading", progress: 0.637}]`, "đang tải 64 %", false, false},
		{"ready, same length", `[{hash: "h", state: "ready", progress: 1, durationMs: 512000}]`, "đã sẵn sàng", true, false},
		{"ready, 1 s off", `[{hash: "h", state: "ready", progress: 1, durationMs: 513000}]`, "đã sẵn sàng", true, false},
		{"ready, 1.2 s short", `[{hash: "h", state: "ready", progress: 1, durationMs: 510800}]`, "đã sẵn sàng", true, true},
		{"ready, no length read", `[{hash: "h", state: "ready", progress: 1}]`, "đã sẵn sàng", true, false},
		{"error", `[{hash: "h", state: "error", progress: 0, error: "không giải mã được"}]`, "lỗi tệp: không giải mã được", false, false},
		{"error without reason", `[{hash: "h", state: "error", progress: 0}]`, "lỗi tệp: không rõ lý do", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[map[string]any](`mod.readiness({media: `+tc.media+`}, `+media+`)`))
			if err != nil {
				t.Fatal(err)
			}
			if got["text"] != tc.text || got["ready"] != tc.ready || (got["warn"] != nil && got["warn"] != "") != tc.warn {
				t.Errorf("readiness = %v, want %q ready=%v warn=%v", got, tc.text, tc.ready, tc.warn)
			}
		})
	}
}

// A field the server names inside a segment's media is labelled and
// explained as the media slot's in the editor's alert.
func TestEditModelMediaFields(t *testing.T) {
	tab := openModule(t, "edit-model.js")
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
		`[mod.fieldLabel("segments[3].media.durationMs"), mod.serverFieldMessage(null, "segments[3].media.kind"), mod.fieldLabel("segments[3].kind")]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Mục 4 – Phim hoặc ảnh", "Tệp phim hoặc ảnh của mục không hợp lệ: hãy chọn lại tệp («Đổi tệp…»).", "Mục 4 – Loại"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}
