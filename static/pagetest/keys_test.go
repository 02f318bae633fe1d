package pagetest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/static/browsertest"
)

// Conditions and views of the editor's panel "Thiết bị và khoá", as JavaScript.
const (
	keysReady = `document.querySelector('#keys-rows tr[data-id="admin"]')`
	keysRows  = `[...document.querySelectorAll("#keys-rows tr")].map(r => r.innerText.replace(/\s+/g, " "))`
	keysNote  = "Chỉ mã quản trị mới tạo và thu hồi được khoá thiết bị."
)

// keyRow is the selector of the panel's row for a credential id.
func keyRow(id string) string { return `#keys-rows tr[data-id="` + id + `"]` }

// cell is the text of a cell (a selector inside the row of id), "" when
// there is no such row.
func cell(id, sel string) string {
	return `((document.querySelector(` + quote(keyRow(id)+" "+sel) + `) || {}).textContent || "")`
}

// fillKey fills the panel's form as a user would (input and change events).
func (p *page) fillKey(kind, label, button string) {
	p.t.Helper()
	p.js(`(() => {
		const set = (id, v) => { const e = document.getElementById(id); e.value = v;
			e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); };
		set("key-kind", ` + quote(kind) + `); set("key-label", ` + quote(label) + `); set("key-button", ` + quote(button) + `); })()`)
}

// keyFieldError is the error shown next to the form's field (label,
// button), "" when none.
func (p *page) keyFieldError(name string) string {
	p.t.Helper()
	return eval[string](p, `(() => { const f = document.getElementById("key-`+name+`").closest(".field");
		return f.classList.contains("bad") ? f.querySelector(".err").textContent : ""; })()`)
}

// credentialOf is the server's credential for the button id.
func (s *server) credentialOf(t *testing.T, button string) access.Credential {
	t.Helper()
	for _, c := range s.test.Display.Auth().Registry().List() {
		if c.Button == button && c.Live() {
			return c
		}
	}
	t.Fatalf("no live credential for button %s: %+v", button, s.test.Display.Auth().Registry().List())
	return access.Credential{}
}

// A button key made in the form: its link, shown once, opens the /button
// page, the list shows its last use; two clicks revoke it, which cuts the
// page off at once (close code 1008) and keeps it out.
func TestKeysCreateConnectRevoke(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	ed.wait(keysReady, 10*time.Second, `document.getElementById("ed-keys").innerText`)
	if admin := eval[string](ed, `document.querySelector(`+quote(keyRow("admin"))+`).innerText`); !strings.Contains(admin, "Mã quản trị — không thu hồi được; đổi bằng --operator-token") {
		t.Errorf("the administrator's row: %q", admin)
	}
	if eval[bool](ed, `Boolean(document.querySelector(`+quote(keyRow("admin")+" button")+`))`) {
		t.Error("the administrator's row has a button")
	}

	ed.fillKey("button", "Nút 2", "nut-2")
	ed.click("key-create")
	ed.wait(`document.getElementById("key-once")`, 5*time.Second, `document.getElementById("ed-keys").innerText`)
	if h := eval[string](ed, `document.querySelector("#key-once h3").textContent`); h != "Khoá mới cho «Nút 2» — chỉ hiện lần này, hãy sao chép ngay" {
		t.Errorf("box heading %q", h)
	}
	link := ed.text("key-link")
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, s.URL+"/button#") {
		t.Fatalf("link %q (%v)", link, err)
	}
	frag, err := url.ParseQuery(u.Fragment)
	if err != nil || frag.Get("key") == "" || frag.Get("button") != "nut-2" || frag.Get("name") != "Nút 2" {
		t.Fatalf("link fragment %q (%v)", u.Fragment, err)
	}
	secret := frag.Get("key")
	if conf, want := ed.text("key-conf"), "key = "+secret+"\nbutton = nut-2\nname = Nút 2"; conf != want {
		t.Errorf("agent lines %q, want %q", conf, want)
	}
	cred := s.credentialOf(t, "nut-2")
	if cred.Label != "Nút 2" || cred.Kind != access.KindButton {
		t.Errorf("credential made: %+v", cred)
	}
	ed.wait(cell(cred.ID, ".k-used")+` === "chưa dùng"`, 5*time.Second, keysRows)

	// The link opens the /button page as that button.
	btn := open(t, browser, "about:blank", 800, 800)
	closes := cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `window.closeCodes = [];
		window.WebSocket = class extends WebSocket {
			constructor(...a) { super(...a); this.addEventListener("close", (e) => window.closeCodes.push(e.code)); } };`}
	if _, err := chromedp.Call(btn.ctx, cdppage.AddScriptToEvaluateOnNewDocument, closes); err != nil {
		t.Fatal(err)
	}
	btn.goTo(link)
	btn.wait(`document.body.dataset.state === "idle"`, 10*time.Second, `[document.body.dataset.state, document.getElementById("bp-hint").textContent]`)
	ed.click("keys-refresh")
	ed.wait(cell(cred.ID, ".k-used")+`.includes("127.0.0.1")`, 5*time.Second, keysRows)

	// Hidden, the secret leaves the page.
	hideKey(t, ed, secret)

	// The first click only arms the button.
	revoke := "key-revoke-" + cred.ID
	ed.click(revoke)
	ed.wait(`document.getElementById(`+quote(revoke)+`).textContent === "Bấm lần nữa để thu hồi"`, 5*time.Second, keysRows)
	if !s.test.Display.Auth().Registry().Opens(cred.ID) {
		t.Fatal("the first click revoked the key")
	}
	time.Sleep(500 * time.Millisecond) // a second click this late is not a double click
	ed.click(revoke)
	btn.wait(`document.body.dataset.state === "offline" && window.closeCodes.includes(1008)`, 5*time.Second, `[document.body.dataset.state, window.closeCodes]`)
	ed.wait(cell(cred.ID, ".k-status")+`.startsWith("Đã thu hồi lúc ")`, 5*time.Second, keysRows)
	if s.test.Display.Auth().Registry().Opens(cred.ID) {
		t.Error("the key still opens after the second click")
	}
	if eval[bool](ed, `Boolean(document.querySelector(`+quote(keyRow(cred.ID)+" button")+`))`) {
		t.Error("the revoked row still has a button")
	}
	// Its reconnection is refused: the page says so and stays offline.
	btn.wait(`document.getElementById("bp-hint").textContent.includes("Mã nút không đúng")`, 10*time.Second, `[document.body.dataset.state, document.getElementById("bp-hint").textContent]`)
	if st := eval[string](btn, `document.body.dataset.state`); st != "offline" {
		t.Errorf("the revoked button's page is %q, want offline", st)
	}
	ed.checkConsole()
	btn.checkConsole()
}

// The form's own checks and the server's refusal show next to their field
// and make nothing; an operator device's key shows its /mc link, not as a
// link to click on this machine.
func TestKeysForm(t *testing.T) {
	s := startServer(t)
	s.test.ButtonKey(t, "nut-3")
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	ed.wait(`document.querySelectorAll("#keys-rows tr").length === 2`, 10*time.Second, keysRows)
	before := len(s.test.Display.Auth().Registry().List())

	refusals := []struct {
		name, label, button, field, want string
	}{
		{"no label", " ", "nut-4", "label", "Hãy đặt tên cho thiết bị"},
		{"label too long", strings.Repeat("ư", 65), "nut-4", "label", "Tên dài 65 ký tự, tối đa 64."},
		{"no button id", "Nút 4", "", "button", "Hãy nhập mã nút"},
		{"button id with a space", "Nút 4", "nút 4", "button", "Mã nút chỉ gồm chữ không dấu"},
		{"reserved button id", "Nút 4", "shared-key", "button", "dành cho khoá dùng chung kiểu cũ"},
		{"button id already keyed", "Nút 3 dự phòng", "nut-3", "button", "Nút «nut-3» đã có một khoá đang dùng được."},
	}
	for _, r := range refusals {
		ed.fillKey("button", r.label, r.button)
		if msg := ed.keyFieldError(r.field); msg != "" {
			t.Fatalf("%s: an error before the click: %q", r.name, msg)
		}
		ed.click("key-create")
		ed.wait(`document.getElementById("key-`+r.field+`").closest(".field").classList.contains("bad")`, 5*time.Second, `document.getElementById("key-form").innerText`)
		if msg := ed.keyFieldError(r.field); !strings.Contains(msg, r.want) {
			t.Errorf("%s: error next to %s %q, want %q", r.name, r.field, msg, r.want)
		}
		if eval[bool](ed, `Boolean(document.getElementById("key-once"))`) {
			t.Errorf("%s: the new key box is shown", r.name)
		}
		if n := len(s.test.Display.Auth().Registry().List()); n != before {
			t.Fatalf("%s: %d credentials, want %d", r.name, n, before)
		}
	}

	// An operator device: no button id asked, its /mc link shown as text.
	ed.fillKey("operator", "iPad MC dự phòng", "")
	if !eval[bool](ed, `document.getElementById("key-button-field").hidden`) {
		t.Error("the button id field is shown for an operator device")
	}
	ed.click("key-create")
	ed.wait(`document.getElementById("key-once")`, 5*time.Second, `document.getElementById("ed-keys").innerText`)
	if link := ed.text("key-link"); !strings.HasPrefix(link, s.URL+"/mc#token=") {
		t.Errorf("operator link %q", link)
	}
	if tag := eval[string](ed, `document.getElementById("key-link").tagName`); tag != "CODE" {
		t.Errorf("the operator link is a %s, want text (CODE)", tag)
	}
	if eval[bool](ed, `Boolean(document.getElementById("key-conf"))`) {
		t.Error("an operator key shows the button agent's lines")
	}
	ed.wait(`[...document.querySelectorAll("#keys-rows tr[data-kind=operator]")].some(r => r.innerText.includes("iPad MC dự phòng") && r.innerText.includes("Máy điều khiển"))`, 5*time.Second, keysRows)
	ed.checkConsole("status of 409 (Conflict) (" + s.URL + "/api/v1/credentials")
}

// An operator device's own key opens the editor but not the keys: it sees
// a note instead of the panel.
func TestKeysOperatorSeesNote(t *testing.T) {
	s := startServer(t)
	code, body := s.api(t, http.MethodPost, "/api/v1/credentials", `{"kind":"operator","label":"iPad MC dự phòng"}`)
	if code != http.StatusCreated {
		t.Fatalf("create an operator key: %d %s", code, body)
	}
	var made struct {
		Secret string `json:"secret"`
	}
	if err := json.Unmarshal(body, &made); err != nil || made.Secret == "" {
		t.Fatalf("created: %s (%v)", body, err)
	}
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+url.QueryEscape(made.Secret), 1920, 1080)
	ed.wait(`document.getElementById("keys-note")`, 10*time.Second, `document.getElementById("ed-keys").innerText`)
	if note := ed.text("keys-note"); note != keysNote {
		t.Errorf("note %q", note)
	}
	if eval[bool](ed, `Boolean(document.getElementById("keys-rows") || document.getElementById("key-form"))`) {
		t.Error("an operator's key sees the list or the form")
	}
	ed.wait(`document.querySelectorAll(".seg").length > 0`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	ed.checkConsole("status of 403 (Forbidden) (" + s.URL + "/api/v1/credentials")
}

// A database with the old shared button key lists it, marked and
// explained; revoked, it leaves the list and stops opening.
func TestKeysSharedKeyRow(t *testing.T) {
	s := startServerWithSharedKey(t, "old-shared-button-key")
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1920, 1080)
	row := keyRow(access.SharedID)
	ed.wait(`document.querySelector(`+quote(row)+`)`, 10*time.Second, keysRows)
	if !eval[bool](ed, `document.querySelector(`+quote(row)+`).classList.contains("shared")`) {
		t.Error("the shared key's row is not marked")
	}
	text := eval[string](ed, `document.querySelector(`+quote(row)+`).innerText`)
	for _, want := range []string{"Nút bấm", "mọi lần bấm bằng khoá này chỉ tính là một nút", "Đang dùng được"} {
		if !strings.Contains(text, want) {
			t.Errorf("shared row %q lacks %q", text, want)
		}
	}
	// Amber, unlike an ordinary row.
	shared := eval[string](ed, `getComputedStyle(document.querySelector(`+quote(row+" td")+`)).backgroundColor`)
	plain := eval[string](ed, `getComputedStyle(document.querySelector(`+quote(keyRow("admin")+" td")+`)).backgroundColor`)
	if shared == plain {
		t.Errorf("the shared row has the background of the others (%s)", shared)
	}

	revoke := "key-revoke-" + access.SharedID
	ed.click(revoke)
	ed.wait(`document.getElementById(`+quote(revoke)+`).textContent === "Bấm lần nữa để thu hồi"`, 5*time.Second, keysRows)
	time.Sleep(500 * time.Millisecond)
	ed.click(revoke)
	ed.wait(`!document.querySelector(`+quote(row)+`)`, 5*time.Second, keysRows)
	if s.test.Display.Auth().Registry().SharedLive() {
		t.Error("the shared key still opens")
	}
	ed.checkConsole()
}

// Without a remembered token the editor opens without asking for one (and
// without a refused request); the panel asks for it when the user wants the
// list.
func TestKeysAskForTheToken(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit", 1920, 1080)
	ed.wait(`document.getElementById("keys-login")`, 10*time.Second, `document.getElementById("ed-keys").innerText`)
	if n := eval[int](ed, `document.querySelectorAll(".modal").length`); n != 0 {
		t.Fatalf("%d dialogs open before the user asked for the list", n)
	}
	ed.click("keys-login")
	ed.wait(`document.getElementById("token-input")`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	ed.js(`document.getElementById("token-input").value = ` + quote(opToken))
	ed.confirm()
	ed.wait(keysReady, 5*time.Second, `document.getElementById("ed-keys").innerText`)
	ed.checkConsole()
}

// hideKey hides the box that shows a new key once, and checks the secret
// left the page with it.
func hideKey(t *testing.T, ed *page, secret string) {
	t.Helper()
	ed.click("key-hide")
	ed.wait(`!document.getElementById("key-once")`, 5*time.Second, `document.getElementById("key-once-slot").innerText`)
	if eval[bool](ed, `document.documentElement.innerHTML.includes(`+quote(secret)+`)`) {
		t.Error("the secret is still in the page after the box was hidden")
	}
}
