package pagetest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/static/browsertest"
)

// setCueArgs types text into cue i's arguments field.
func (p *page) setCueArgs(i int, text string) {
	p.t.Helper()
	sel := `[data-cue-index="` + itoa(i) + `"] [data-cue="args"]`
	p.js(`(() => { const e = document.querySelector(` + quote(sel) + `); e.value = ` + quote(text) + `;
		e.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

// The launch's cues card on /edit: an OSC cue and an HTTP cue added,
// typed arguments kept, a bad argument shown next to its field, and the
// show saved with its cues.
func TestEditorCues(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1600, 1000)
	ed.wait(`document.querySelectorAll(".seg").length === 9 && document.getElementById("ed-cues")`, 10*time.Second, `document.body.innerText.slice(0, 200)`)

	ed.js(`document.querySelector('[data-cue-act="add-osc"]').click()`)
	ed.wait(`document.querySelector('[data-cue-index="0"]')`, 5*time.Second, `document.getElementById("ed-cues").outerHTML`)
	ed.setField("launch.cues[0].target", "127.0.0.1:53000")
	ed.setField("launch.cues[0].address", "/cue/7/go")
	ed.setCueArgs(0, `"phát động, 1", 1, 1.0, true`)
	ed.setCueArgs(0, `"phát động, 1", 1, 1.0, true, x`)
	if msg := eval[string](ed, `document.querySelector('[data-cue="args"]').closest(".field").querySelector(".err").textContent`); !strings.Contains(msg, "«x»") {
		t.Errorf("a bad argument: %q", msg)
	}
	ed.setCueArgs(0, `"phát động, 1", 1, 1.0, true`)
	ed.js(`document.querySelector('[data-cue-act="add-http"]').click()`)
	ed.wait(`document.querySelector('[data-cue-index="1"]')`, 5*time.Second, `document.getElementById("ed-cues").outerHTML`)
	ed.setField("launch.cues[1].target", "http://127.0.0.1:8000/api/location/1/0/1/press")
	ed.setField("launch.cues[1].delayMs", "1500")
	ed.js(`(() => { const b = document.querySelector('[data-cue-index="1"] [data-cue="skip"]'); b.click(); })()`)
	ed.click("ed-save")
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 5*time.Second,
		`document.getElementById("ed-status").textContent + " " + document.getElementById("ed-alert").innerText`)

	cues := s.engine.Snapshot().Show.Launch.Cues
	if len(cues) != 2 {
		t.Fatalf("saved %d cues, want 2", len(cues))
	}
	args, err := cues[0].OSCArgs()
	if want := []any{"phát động, 1", int32(1), float32(1), true}; err != nil || !reflect.DeepEqual(args, want) {
		t.Errorf("OSC cue %+v args %#v, want %#v", cues[0], args, want)
	}
	if c := cues[1]; c.Kind != "http" || c.Method != "POST" || c.DelayMs != 1500 || !c.SkipRehearsal || cues[0].SkipRehearsal {
		t.Errorf("HTTP cue %+v", c)
	}
	// Drawn again from the saved show, the arguments read as typed.
	if got := eval[string](ed, `document.querySelector('[data-cue="args"]').value`); got != `"phát động, 1", 1, 1.0, true` {
		t.Errorf("arguments drawn as %q", got)
	}

	// A bad target comes back from the server next to its field.
	ed.setField("launch.cues[0].target", "no-port")
	ed.click("ed-save")
	ed.wait(`document.querySelector('[data-path="launch.cues[0].target"]').closest(".field").classList.contains("bad")`, 5*time.Second,
		`document.getElementById("ed-alert").innerText`)
	// Removing the cue: the show has one cue left.
	ed.js(`document.querySelector('[data-cue-index="0"] [data-cue-act="remove"]').click()`)
	ed.click("ed-save")
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 5*time.Second, `document.getElementById("ed-alert").innerText`)
	if cues := s.engine.Snapshot().Show.Launch.Cues; len(cues) != 1 || cues[0].Kind != "http" {
		t.Errorf("after removing: %+v", cues)
	}
	ed.checkConsole("/api/v1/show") // the refused save
}
