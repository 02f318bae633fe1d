package pagetest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/static/browsertest"
)

// setField types value into the editor's field at path, as a user would
// (the input and change events follow).
func (p *page) setField(path, value string) {
	p.t.Helper()
	sel := `[data-path="` + path + `"]`
	p.js(`(() => { const e = document.querySelector(` + quote(sel) + `); e.focus(); e.value = ` + quote(value) + `;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

// fieldError is the error shown next to the field at path, "" when none.
func (p *page) fieldError(path string) string {
	p.t.Helper()
	return eval[string](p, `(() => { const f = document.querySelector('[data-path="`+path+`"]').closest(".field");
		return f.classList.contains("bad") ? f.querySelector(".err").textContent : ""; })()`)
}

// confirm clicks the yes button of the open dialog.
func (p *page) confirm() {
	p.t.Helper()
	p.wait(`document.querySelector('.modal [data-value="true"]')`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	p.js(`document.querySelector('.modal [data-value="true"]').click()`)
}

// The editor: errors next to their field, editing the running segment's
// duration updates the stage after a confirmation, segments added and
// moved, and a show file imported.
func TestEditor(t *testing.T) {
	s := startServer(t)
	s.command(t, `{"type":"next"}`)
	s.command(t, `{"type":"start"}`)
	browser := browsertest.NewBrowser(t)
	stage := open(t, browser, s.URL+"/stage", 1280, 720)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	ed.wait(`document.querySelectorAll(".seg").length === 9`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	ed.wait(`document.querySelector(".seg.live") && document.querySelector(".seg.live").dataset.index === "1"`, 5*time.Second, `document.querySelector(".seg.live")?.dataset.index`)

	// A bad duration is shown next to its field and not sent.
	dur := "segments[1].durationSec"
	ed.setField(dur, "0")
	if msg := ed.fieldError(dur); !strings.Contains(msg, "Thời lượng phải lớn hơn 0") {
		t.Errorf("error next to the duration: %q", msg)
	}
	ed.click("ed-save")
	ed.wait(`!document.getElementById("ed-alert").hidden`, 5*time.Second, `document.getElementById("ed-alert").outerHTML`)
	if a := ed.text("ed-alert"); !strings.Contains(a, "Mục 2 – Thời lượng") {
		t.Errorf("alert %q", a)
	}
	if d := s.engine.Snapshot().Show.Segments[1].DurationSec; d != 900 {
		t.Fatalf("an invalid show was saved: duration %d", d)
	}

	// The running segment's new duration, saved with force after a
	// confirmation, reaches the stage.
	ed.setField(dur, "2:00")
	if msg := ed.fieldError(dur); msg != "" {
		t.Errorf("2:00 refused: %q", msg)
	}
	ed.click("ed-save")
	ed.confirm()
	stage.wait(`document.getElementById("s-clock").textContent.startsWith("01:5")`, 5*time.Second, `document.getElementById("s-clock").textContent`)
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 5*time.Second, `document.getElementById("ed-status").textContent`)
	if d := s.engine.Snapshot().Show.Segments[1].DurationSec; d != 120 {
		t.Errorf("saved duration %d, want 120", d)
	}

	// Add a segment at the end, name it, move it up one, save.
	ed.click("ed-add")
	ed.setField("segments[9].title", "Chụp ảnh lưu niệm")
	if id := eval[string](ed, `document.querySelector('[data-path="segments[9].id"]').value`); id != "chup-anh-luu-niem" {
		t.Errorf("new segment id %q", id)
	}
	ed.js(`document.querySelector('.seg[data-index="9"] [data-act="up"]').click()`)
	ed.click("ed-save")
	ed.confirm() // the clock still runs
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 5*time.Second, `document.getElementById("ed-status").textContent`)
	segs := s.engine.Snapshot().Show.Segments
	if len(segs) != 10 || segs[8].ID != "chup-anh-luu-niem" || segs[8].Title != "Chụp ảnh lưu niệm" {
		t.Errorf("after add and move: %d segments, [8] = %+v", len(segs), segs[8])
	}

	// A show file with a bad field: the alert names it, nothing changes.
	bad := strings.Replace(shortShow, `"durationSec": 6,`, `"durationSec": -6,`, 1)
	ed.importFile(t, "sai.json", bad)
	ed.confirm()
	ed.wait(`!document.getElementById("ed-alert").hidden`, 5*time.Second, `document.body.innerText.slice(0, 300)`)
	if a := ed.text("ed-alert"); !strings.Contains(a, "Tệp không hợp lệ") || !strings.Contains(a, "Mục 2 – Thời lượng") {
		t.Errorf("alert for a bad file: %q", a)
	}
	// A good file replaces the show (the clock runs: confirmed).
	ed.importFile(t, "thu.json", shortShow)
	ed.confirm()
	ed.wait(`document.querySelectorAll(".seg").length === 4`, 5*time.Second, `document.querySelectorAll(".seg").length`)
	if title := s.engine.Snapshot().Show.Title; title != "Buổi thử đồng hồ" {
		t.Errorf("imported show title %q", title)
	}

	// The export is the show file.
	code, body := s.api(t, http.MethodGet, "/api/v1/show/export", "")
	if code != http.StatusOK || !strings.Contains(string(body), `"Buổi thử đồng hồ"`) {
		t.Errorf("export: %d %.80s", code, body)
	}
	if href := eval[string](ed, `document.getElementById("ed-export").getAttribute("href")`); href != "/api/v1/show/export" {
		t.Errorf("export link %q", href)
	}

	// The rehearsal switch.
	ed.click("ed-rehearsal")
	deadline := time.Now().Add(5 * time.Second)
	for !s.engine.Snapshot().State.Rehearsal && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !s.engine.Snapshot().State.Rehearsal {
		t.Error("the rehearsal switch did not turn rehearsal on")
	}
	// The bad file was refused with a 400, as it should be.
	ed.checkConsole("status of 400 (Bad Request) (" + s.URL + "/api/v1/show")
	stage.checkConsole()
}

// importFile picks a file with content in the editor's file input.
func (p *page) importFile(t *testing.T, name, content string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetUploadFiles(chromedp.ID("ed-file"), []string{path}))
}
