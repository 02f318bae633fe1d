package display_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
)

func TestCredentialsAreTheAdministratorsAlone(t *testing.T) {
	f := newFixture(t)
	operator := f.newCredential(t, `{"kind":"operator","label":"iPad MC dự phòng"}`).Secret
	button := f.newButtonKey(t, "nut-1")
	for _, tc := range []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"list without a token", "GET", "/api/v1/credentials", "", "", 401, "unauthorized"},
		{"list with a wrong token", "GET", "/api/v1/credentials", "nope", "", 401, "unauthorized"},
		{"list with an operator's credential", "GET", "/api/v1/credentials", operator, "", 403, "forbidden"},
		{"list with a button's key", "GET", "/api/v1/credentials", button, "", 403, "forbidden"},
		{"list with the shared key", "GET", "/api/v1/credentials", buttonKey, "", 403, "forbidden"},
		{"create with an operator's credential", "POST", "/api/v1/credentials", operator, `{"kind":"operator","label":"x"}`, 403, "forbidden"},
		{"revoke with an operator's credential", "DELETE", "/api/v1/credentials/admin", operator, "", 403, "forbidden"},
		{"revoke the administrator", "DELETE", "/api/v1/credentials/admin", opToken, "", 403, "forbidden"},
		{"revoke an unknown id", "DELETE", "/api/v1/credentials/k0000000000", opToken, "", 404, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.auth.Registry().List())
			rec := f.do(t, request{method: tc.method, path: tc.path, token: tc.token, body: tc.body})
			if rec.Code != tc.status || errorOf(t, rec).Code != tc.code {
				t.Fatalf("%d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.code)
			}
			if after := len(f.auth.Registry().List()); after != before {
				t.Fatalf("a refused call changed the credentials: %d → %d", before, after)
			}
		})
	}
	// An operator's own credential runs the show like the administrator's.
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/commands", token: operator, body: `{"type":"next"}`})
	if rec.Code != http.StatusOK {
		t.Fatalf("a command with an operator's credential: %d %s", rec.Code, rec.Body)
	}
}

func TestCreateCredentialRefusesBadBodies(t *testing.T) {
	f := newFixture(t)
	f.newButtonKey(t, "nut-1")
	for _, tc := range []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"not JSON", `{`, 400, "invalid", ""},
		{"unknown member", `{"kind":"operator","label":"x","admin":true}`, 400, "invalid", "admin"},
		{"a name in the wrong case", `{"Kind":"operator","label":"x"}`, 400, "invalid", "Kind"},
		{"no kind", `{"label":"x"}`, 400, "invalid", "kind"},
		{"no label", `{"kind":"operator"}`, 400, "invalid", "label"},
		{"a button without its id", `{"kind":"button","label":"Nút 2"}`, 400, "invalid", "button"},
		{"a button id already keyed", `{"kind":"button","label":"Nút 1 bis","button":"nut-1"}`, 409, "conflict", "button"},
		{"a label with a control character", `{"kind":"operator","label":"a\u0007b"}`, 400, "invalid", "label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.auth.Registry().List())
			rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/credentials", token: opToken, body: tc.body})
			e := errorOf(t, rec)
			if rec.Code != tc.status || e.Code != tc.code || tc.field != "" && e.Field != tc.field {
				t.Fatalf("%d %s, want %d %s on %q", rec.Code, rec.Body, tc.status, tc.code, tc.field)
			}
			if after := len(f.auth.Registry().List()); after != before {
				t.Fatalf("a refused body changed the credentials: %d → %d", before, after)
			}
		})
	}
}

func TestCredentialLifecycle(t *testing.T) {
	f := newFixture(t)
	made := f.newCredential(t, `{"kind":"button","label":"Nút 2 – Bí thư","button":"nut-2"}`)
	if made.Credential.ID == "" || made.Secret == "" || made.Credential.Button != "nut-2" ||
		!strings.HasPrefix(made.Link, "/button#key="+made.Secret+"&button=nut-2&name=") {
		t.Fatalf("created: %+v", made)
	}
	// The list names it, never with its secret, and tells its last use.
	f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: made.Secret, body: `{"pressId":"p1"}`, ip: "10.0.0.42"})
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/credentials", token: opToken})
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), made.Secret) {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	list := decode[display.CredentialsBody](t, rec).Credentials
	if len(list) != 3 || !list[0].Admin || !list[1].Shared || list[2].ID != made.Credential.ID ||
		list[2].LastUsedAt == 0 || list[2].LastAddr != "10.0.0.42" {
		t.Fatalf("list: %+v", list)
	}
	// Revoked, it opens no more; revoking again is a conflict.
	rec = f.do(t, request{method: http.MethodDelete, path: "/api/v1/credentials/" + made.Credential.ID, token: opToken})
	if rec.Code != http.StatusOK || decode[display.RevokedCredentialBody](t, rec).Credential.RevokedAt == 0 {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: made.Secret, body: `{"pressId":"p2"}`}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("a press with a revoked key: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, request{method: http.MethodDelete, path: "/api/v1/credentials/" + made.Credential.ID, token: opToken}); rec.Code != http.StatusConflict {
		t.Fatalf("revoke twice: %d %s", rec.Code, rec.Body)
	}
	// The shared key is revoked the same way, and leaves the list.
	if rec := f.do(t, request{method: http.MethodDelete, path: "/api/v1/credentials/" + access.SharedID, token: opToken}); rec.Code != http.StatusOK {
		t.Fatalf("revoke the shared key: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/press", token: buttonKey, body: `{"button":"x","pressId":"p3"}`}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("a press with the revoked shared key: %d %s", rec.Code, rec.Body)
	}
	if v, err := f.store.LookupSecret("button-key"); err != nil || v != "" {
		t.Fatalf("the revoked shared key is still stored: %q %v", v, err)
	}
}

// newCredential creates a credential through the API with the
// administrator's token.
func (f *fixture) newCredential(t testing.TB, body string) display.CreatedCredentialBody {
	t.Helper()
	rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/credentials", token: opToken, body: body})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create %s: %d %s", body, rec.Code, rec.Body)
	}
	return decode[display.CreatedCredentialBody](t, rec)
}
