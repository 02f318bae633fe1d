package display_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/display/qr/qrtest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

// httpCall makes one request to a running server and returns its status,
// body and headers.
func httpCall(t *testing.T, method, url, token, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data, resp.Header
}

// newSecret makes a credential through the API, as the MC does.
func newSecret(t *testing.T, s *displaytest.Server, body string) display.CreatedCredentialBody {
	t.Helper()
	code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/credentials", displaytest.OperatorToken, body)
	if code != http.StatusCreated {
		t.Fatalf("create %s: %d %s", body, code, data)
	}
	var out display.CreatedCredentialBody
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// qrOf posts body to /api/v1/qr and decodes the PNG it answers.
func qrOf(t *testing.T, s *displaytest.Server, body string) string {
	t.Helper()
	code, data, h := httpCall(t, "POST", s.URL+"/api/v1/qr", displaytest.OperatorToken, body)
	if code != http.StatusOK || h.Get("Content-Type") != "image/png" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("qr %s: %d %s %v", body, code, data, h)
	}
	got, err := qrtest.DecodePNG(data)
	if err != nil {
		t.Fatal(err)
	}
	if h.Get(display.QRLinkHeader) != got {
		t.Fatalf("the header says %q, the code %q", h.Get(display.QRLinkHeader), got)
	}
	return got
}

func TestQRLinksOpenEachRolesPagePaired(t *testing.T) {
	s := displaytest.Start(t, displaytest.Options{})
	screen := newSecret(t, s, `{"kind":"screen","label":"Màn LED trái"}`).Secret
	op := newSecret(t, s, `{"kind":"operator","label":"iPad trợ lý"}`).Secret
	btn := newSecret(t, s, `{"kind":"button","label":"Nút Chủ tịch","button":"nut-1"}`).Secret
	for _, tc := range []struct{ body, want string }{
		{`{"path":"/stage","secret":"` + screen + `"}`, "/stage?name=M%C3%A0n+LED+tr%C3%A1i#token=" + screen},
		{`{"path":"/presenter","name":"Bục phát biểu","secret":"` + screen + `"}`, "/presenter?name=B%E1%BB%A5c+ph%C3%A1t+bi%E1%BB%83u#token=" + screen},
		{`{"path":"/mc","secret":"` + op + `"}`, "/mc#token=" + op},
		{`{"path":"/button","secret":"` + btn + `"}`, "/button#key=" + btn + "&button=nut-1&name=N%C3%BAt+Ch%E1%BB%A7+t%E1%BB%8Bch"},
		{`{"path":"/stage"}`, "/stage"},
		{`{"path":"/stage","name":"Màn phụ","size":200}`, "/stage?name=M%C3%A0n+ph%E1%BB%A5"},
	} {
		if got := qrOf(t, s, tc.body); got != s.URL+tc.want {
			t.Errorf("%s: the code opens %q, want %q", tc.body, got, s.URL+tc.want)
		}
	}
}

func TestQRRefusesWhatIsNotAPageOrCredentialOfThisServer(t *testing.T) {
	s := displaytest.Start(t, displaytest.Options{})
	screen := newSecret(t, s, `{"kind":"screen","label":"Màn LED"}`)
	op := newSecret(t, s, `{"kind":"operator","label":"iPad"}`).Secret
	btn := s.ButtonKey(t, "nut-2")
	revoked := newSecret(t, s, `{"kind":"screen","label":"Màn cũ"}`)
	if code, data, _ := httpCall(t, "DELETE", s.URL+"/api/v1/credentials/"+revoked.Credential.ID, displaytest.OperatorToken, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, data)
	}
	for _, tc := range []struct {
		name, token, body string
		status            int
		field             string
	}{
		{"no credential", "", `{"path":"/stage"}`, 401, ""},
		{"a button's key", btn, `{"path":"/stage"}`, 403, ""},
		{"a screen's credential", screen.Secret, `{"path":"/stage"}`, 403, ""},
		{"another server", displaytest.OperatorToken, `{"path":"http://evil.example/stage"}`, 400, "path"},
		{"not a page", displaytest.OperatorToken, `{"path":"/api/v1/state"}`, 400, "path"},
		{"a path that climbs", displaytest.OperatorToken, `{"path":"/stage/../mc"}`, 400, "path"},
		{"an unknown member", displaytest.OperatorToken, `{"path":"/stage","url":"x"}`, 400, "url"},
		{"a name in the wrong case", displaytest.OperatorToken, `{"Path":"/stage"}`, 400, "Path"},
		{"a wrong secret", displaytest.OperatorToken, `{"path":"/stage","secret":"nope-nope-nope"}`, 400, "secret"},
		{"a revoked secret", displaytest.OperatorToken, `{"path":"/stage","secret":"` + revoked.Secret + `"}`, 400, "secret"},
		{"an operator's secret on a screen", displaytest.OperatorToken, `{"path":"/stage","secret":"` + op + `"}`, 400, "path"},
		{"a screen's secret on the MC", displaytest.OperatorToken, `{"path":"/mc","secret":"` + screen.Secret + `"}`, 400, "path"},
		{"a size too small", displaytest.OperatorToken, `{"path":"/stage","size":10}`, 400, "size"},
		{"a name with a control character", displaytest.OperatorToken, `{"path":"/stage","name":"a\u0007"}`, 400, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/qr", tc.token, tc.body)
			var e struct {
				Error struct{ Code, Field string } `json:"error"`
			}
			_ = json.Unmarshal(data, &e)
			if code != tc.status || tc.field != "" && e.Error.Field != tc.field {
				t.Fatalf("%d %s, want %d on %q", code, data, tc.status, tc.field)
			}
		})
	}
}

func TestRevokingAScreensCredentialShutsItsQROut(t *testing.T) {
	s := displaytest.Start(t, displaytest.Options{})
	created := newSecret(t, s, `{"kind":"screen","label":"Màn LED"}`)
	if created.Credential.Kind != access.KindScreen || created.Link != "/stage?name=M%C3%A0n+LED#token="+created.Secret {
		t.Fatalf("kind %q, link %q", created.Credential.Kind, created.Link)
	}
	// A screen's credential commands nothing.
	if code, data, _ := httpCall(t, "POST", s.URL+"/api/v1/commands", created.Secret, `{"type":"next"}`); code != http.StatusForbidden {
		t.Fatalf("a command with a screen's credential: %d %s", code, data)
	}
	if _, _, err := protocoltest.Connect(s.WSURL, protocol.HelloMsg{Role: protocol.RoleOperator, Token: created.Secret}); err == nil || !strings.Contains(err.Error(), "forbidden") {
		t.Fatalf("an operator's hello with a screen's credential: %v, want forbidden", err)
	}
	paired := protocol.HelloMsg{Role: protocol.RoleStage, Name: "Màn LED", Token: created.Secret}
	conn := protocoltest.Dial(t, s.WSURL, paired)
	conn.Until(protocol.TypeState)
	if code, data, _ := httpCall(t, "DELETE", s.URL+"/api/v1/credentials/"+created.Credential.ID, displaytest.OperatorToken, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, data)
	}
	for {
		if _, err := protocoltest.Next(conn.WS, protocoltest.Wait); err != nil {
			break // closed by the revocation
		}
	}
	if _, _, err := protocoltest.Connect(s.WSURL, paired); err == nil || !strings.Contains(err.Error(), "unauthorized") {
		t.Fatalf("the revoked screen's hello: %v, want unauthorized", err)
	}
	// An unpaired screen still opens, and a wrong token is no pairing.
	protocoltest.Dial(t, s.WSURL, protocoltest.Stage("Màn không ghép"))
	op := newSecret(t, s, `{"kind":"operator","label":"iPad"}`).Secret
	if _, _, err := protocoltest.Connect(s.WSURL, protocol.HelloMsg{Role: protocol.RolePresenter, Token: op}); err == nil || !strings.Contains(err.Error(), "forbidden") {
		t.Fatalf("a presenter with an operator's token: %v, want forbidden", err)
	}
}
