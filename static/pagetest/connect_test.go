package pagetest

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/qr/qrtest"
	"github.com/phatdong/phatdong/static/browsertest"
)

// segmentTitle is the title of the show's segment id.
func (s *server) segmentTitle(t testing.TB, id string) string {
	t.Helper()
	for _, g := range s.engine.Snapshot().Show.Segments {
		if g.ID == id {
			return g.Title
		}
	}
	t.Fatalf("no segment %s", id)
	return ""
}

// A phone scans the QR code the MC made for a stage screen (the PNG the
// MC page shows, decoded) and opens a stage page paired with the code's
// credential, on the current segment; once the MC revokes it, the page
// says it is not paired, and so does the same link opened again.
func TestPhoneScansTheMCsQRAndOpensAPairedStage(t *testing.T) {
	s := startServer(t)
	s.command(t, `{"type":"goto","segment":"phat-bieu-chi-dao"}`)
	title := s.segmentTitle(t, "phat-bieu-chi-dao")
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-connect")
	mc.wait(`!document.getElementById("pane-connect").hidden && document.querySelector("#pane-connect h2").textContent === "Kết nối thiết bị"`, 5*time.Second, `document.getElementById("pane-connect").outerHTML`)
	mc.js(`document.getElementById("conn-name").value = "Điện thoại thử"`)
	mc.click("conn-make")
	card := `document.querySelector(".conn-card")`
	mc.wait(card+` && `+card+`.querySelector("img").src.startsWith("data:image/png;base64,") && `+card+`.querySelector("img").complete`, 10*time.Second, `document.getElementById("conn-cards").outerHTML`)

	src := eval[string](mc, card+`.querySelector("img").src`)
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	link, err := qrtest.DecodePNG(png)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(u.Fragment, "token=")
	if u.Scheme+"://"+u.Host != s.URL || u.Path != "/stage" || u.Query().Get("name") != "Điện thoại thử" || token == "" || token == u.Fragment {
		t.Fatalf("the MC's code opens %q", link)
	}
	if shown := eval[string](mc, card+`.querySelector(".conn-link").textContent`); shown != link {
		t.Fatalf("the card says %q, the code %q", shown, link)
	}
	// The test's server knows no LAN address: the card says phones
	// elsewhere cannot reach its code.
	if note := eval[string](mc, `(`+card+`.querySelector(".conn-warn") || {}).textContent || ""`); !strings.Contains(note, "localhost") {
		t.Errorf("no note about the loopback address: %q", note)
	}

	phone := open(t, browser, link, 390, 844)
	phone.wait(`document.body.dataset.mode === "segment" && document.getElementById("s-title").textContent === `+quote(title), 10*time.Second,
		`[document.body.dataset.mode, document.getElementById("s-title").textContent]`)
	if left := eval[string](phone, `location.href`); strings.Contains(left, token) {
		t.Fatalf("the credential stays in the address bar: %s", left)
	}
	// The MC sees the phone under its name, connected with the credential.
	mc.click("tab-devices")
	mc.wait(`[...document.querySelectorAll("#dev-rows .dev-name")].some((n) => n.textContent === "Điện thoại thử")`, 10*time.Second, `document.getElementById("dev-rows").innerText`)

	mc.js(card + `.querySelector(".conn-revoke").click()`)
	mc.wait(card+`.classList.contains("revoked")`, 5*time.Second, card+`.outerHTML`)
	unpaired := `document.getElementById("unpaired") && !document.getElementById("unpaired").hidden && document.getElementById("unpaired").innerText.includes("Thiết bị chưa được ghép nối")`
	phone.wait(unpaired, 10*time.Second, `document.body.innerText.slice(0, 300)`)

	again := open(t, browser, link, 390, 844)
	again.wait(unpaired, 10*time.Second, `document.body.innerText.slice(0, 300)`)
	mc.checkConsole()
}

// The MC's "Nhận diện" on one stage screen shows that screen's name in
// large type for a few seconds; the other screen shows nothing.
func TestIdentifyShowsTheNameOnTheNamedScreenOnly(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	left := open(t, browser, s.URL+"/stage?name=Máy chiếu trái", 640, 360)
	right := open(t, browser, s.URL+"/stage?name=Máy chiếu phải", 640, 360)
	speaker := open(t, browser, s.URL+"/presenter?name=Màn bục phát biểu", 640, 360)
	for _, p := range []*page{left, right} {
		p.wait(stageReady, 10*time.Second, stageMode)
	}
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-devices")
	row := `[...document.querySelectorAll("#dev-rows tr")].find((r) => r.querySelector(".dev-name").textContent === "Máy chiếu trái")`
	mc.wait(row+` && `+row+`.querySelector(".dev-identify")`, 10*time.Second, `document.getElementById("dev-rows").innerText`)
	mc.js(row + `.querySelector(".dev-identify").click()`)

	shown := `document.getElementById("identify") && !document.getElementById("identify").hidden`
	left.wait(shown+` && document.querySelector("#identify .identify-name").textContent === "Máy chiếu trái"`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	size := eval[float64](left, `parseFloat(getComputedStyle(document.querySelector("#identify .identify-name")).fontSize)`)
	if size < 60 {
		t.Errorf("the name is drawn %.0f px high on a 360 px screen: not large", size)
	}
	// The right screen follows a later change, and never drew the overlay.
	s.command(t, `{"type":"next"}`)
	right.wait(`document.body.dataset.mode === "segment"`, 10*time.Second, stageMode)
	if drawn := eval[bool](right, `document.getElementById("identify") !== null`); drawn {
		t.Fatal("the other screen showed the name too")
	}
	left.wait(`document.getElementById("identify").hidden`, 10*time.Second, `document.getElementById("identify").outerHTML`)

	// The speaker's screen too.
	row = `[...document.querySelectorAll("#dev-rows tr")].find((r) => r.querySelector(".dev-name").textContent === "Màn bục phát biểu")`
	mc.wait(row+` && `+row+`.querySelector(".dev-identify")`, 10*time.Second, `document.getElementById("dev-rows").innerText`)
	mc.js(row + `.querySelector(".dev-identify").click()`)
	speaker.wait(shown+` && document.querySelector("#identify .identify-name").textContent === "Màn bục phát biểu"`, 5*time.Second, `document.body.innerText.slice(0, 200)`)
	for _, p := range []*page{left, right, speaker, mc} {
		p.checkConsole()
	}
}
