package pagetest

import (
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/static/browsertest"
)

// setDelay types the venue's delay in the panel's form.
func (p *page) setDelay(ms string) {
	p.t.Helper()
	p.js(`(() => { const e = document.getElementById("key-delay"); e.value = ` + quote(ms) + `;
		e.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

// A district hall made in /edit: its command line and key are shown once
// (no page link), the key opens the hall's leaf link, the list shows the
// hall with its delay, and two clicks revoke it.
func TestKeysVenue(t *testing.T) {
	s := startServer(t)
	reg := s.test.Display.Auth().Registry()
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	ed.wait(keysReady, 10*time.Second, `document.getElementById("ed-keys").innerText`)

	ed.fillKey("venue", "Huyện Bù Đăng", "")
	if name := eval[string](ed, `document.querySelector("#key-label-field .lbl").textContent`); name != "Tên điểm cầu" {
		t.Errorf("label field named %q, want Tên điểm cầu", name)
	}
	if !eval[bool](ed, `document.getElementById("key-button-field").hidden && !document.getElementById("key-delay-field").hidden`) {
		t.Error("a venue shows the button id field or hides the delay field")
	}
	if name := eval[string](ed, `document.querySelector("#key-delay-field .lbl").textContent`); name != "Độ trễ hình (ms)" {
		t.Errorf("delay field named %q", name)
	}
	// A delay out of range is refused next to its field and makes nothing.
	before := len(reg.List())
	ed.setDelay("20000")
	ed.click("key-create")
	ed.wait(`document.getElementById("key-delay-field").classList.contains("bad")`, 5*time.Second, `document.getElementById("key-form").innerText`)
	if msg := ed.keyFieldError("delay"); !strings.Contains(msg, "từ 0 đến 10000") {
		t.Errorf("delay error %q", msg)
	}
	if n := len(reg.List()); n != before {
		t.Fatalf("a refused delay made a credential: %d, want %d", n, before)
	}

	ed.setDelay("1500")
	ed.click("key-create")
	ed.wait(`document.getElementById("key-once")`, 5*time.Second, `document.getElementById("ed-keys").innerText`)
	var cred access.Credential
	for _, c := range reg.List() {
		if c.Kind == access.KindVenue {
			cred = c
		}
	}
	if cred.Label != "Huyện Bù Đăng" || cred.DelayMs != 1500 {
		t.Fatalf("credential made: %+v", cred)
	}
	key := ed.text("key-venue")
	id, secret, ok := strings.Cut(key, ":")
	if !ok || id != cred.ID {
		t.Fatalf("key shown %q, want %s:…", key, cred.ID)
	}
	if _, ok := reg.Venue(id, secret); !ok {
		t.Fatal("the key shown does not open the venue's leaf link")
	}
	want := "phatdong --venue-of HOST:7422 --venue-key " + key + " --venue 'Huyện Bù Đăng'"
	if cmd := ed.text("key-command"); cmd != want {
		t.Errorf("command line\n%s\nwant\n%s", cmd, want)
	}
	if !strings.Contains(ed.text("key-command-host"), "thay HOST:7422 bằng địa chỉ IP của máy chủ tỉnh") {
		t.Errorf("no note on the placeholder: %q", ed.text("key-command-host"))
	}
	if eval[bool](ed, `Boolean(document.getElementById("key-link") || document.getElementById("key-conf"))`) {
		t.Error("a venue's box shows a page link or a button's lines")
	}
	if b := ed.text("key-command-copy"); b != "Sao chép dòng lệnh" {
		t.Errorf("copy button %q", b)
	}
	ed.click("key-command-copy")
	ed.wait(`document.body.innerText.includes("Đã sao chép dòng lệnh.") || getSelection().toString().length > 0`, 5*time.Second, `document.body.innerText.slice(-300)`)

	// The list shows the hall with its delay.
	row := keyRow(cred.ID)
	ed.wait(`document.querySelector(`+quote(row)+`)`, 5*time.Second, keysRows)
	text := eval[string](ed, `document.querySelector(`+quote(row)+`).innerText.replace(/\s+/g, " ")`)
	for _, want := range []string{"Huyện Bù Đăng", "Điểm cầu", "Độ trễ hình 1.500 ms", "chưa dùng", "Đang dùng được"} {
		if !strings.Contains(text, want) {
			t.Errorf("venue row %q lacks %q", text, want)
		}
	}
	hideKey(t, ed, secret)

	// Revoked as the others: two clicks.
	revoke := "key-revoke-" + cred.ID
	ed.click(revoke)
	ed.wait(`document.getElementById(`+quote(revoke)+`).textContent === "Bấm lần nữa để thu hồi"`, 5*time.Second, keysRows)
	time.Sleep(500 * time.Millisecond) // a second click this late is not a double click
	ed.click(revoke)
	ed.wait(cell(cred.ID, ".k-status")+`.startsWith("Đã thu hồi lúc ")`, 5*time.Second, keysRows)
	if _, ok := reg.Venue(id, secret); ok {
		t.Error("the revoked venue key still opens its leaf link")
	}
	ed.checkConsole()
}
