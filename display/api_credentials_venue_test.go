package display_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
)

func TestVenueCredentialLifecycle(t *testing.T) {
	f := newFixtureWith(t, io.Discard, func(cfg *display.Config) {
		cfg.VenueOf = func() []string { return []string{"192.168.1.10:7422", " ", "192.168.1.11:7422"} }
	})
	made := f.newCredential(t, `{"kind":"venue","label":"Huyện Bù Đăng","delayMs":1500}`)
	cred := made.Credential
	if cred.Kind != access.KindVenue || cred.Label != "Huyện Bù Đăng" || cred.DelayMs != 1500 || made.Link != "" {
		t.Fatalf("created: %+v", made)
	}
	if want := cred.ID + ":" + made.Secret; made.VenueKey != want {
		t.Fatalf("venue key %q, want %q", made.VenueKey, want)
	}
	want := "phatdong --venue-of 192.168.1.10:7422,192.168.1.11:7422 --venue-key " + made.VenueKey + " --venue 'Huyện Bù Đăng'"
	if made.Command != want {
		t.Fatalf("command\n%s\nwant\n%s", made.Command, want)
	}
	// The key opens the leaf link, and nothing over HTTP.
	if _, ok := f.auth.Registry().Venue(cred.ID, made.Secret); !ok {
		t.Fatal("the venue key does not open its leaf link")
	}
	for _, r := range []request{
		{method: http.MethodPost, path: "/api/v1/commands", token: made.Secret, body: `{"type":"next"}`},
		{method: http.MethodPost, path: "/api/v1/press", token: made.Secret, body: `{"pressId":"p1"}`},
		{method: http.MethodGet, path: "/api/v1/credentials", token: made.Secret},
		{method: http.MethodPost, path: "/api/v1/commands", token: made.VenueKey, body: `{"type":"next"}`},
	} {
		if rec := f.do(t, r); rec.Code != http.StatusUnauthorized || errorOf(t, rec).Code != "unauthorized" {
			t.Fatalf("%s %s with the venue's secret: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
	// Listed with its delay; a new delay is kept.
	rec := f.do(t, request{method: http.MethodPatch, path: "/api/v1/credentials/" + cred.ID, token: opToken, body: `{"delayMs":2500}`})
	if rec.Code != http.StatusOK || decode[display.CredentialBody](t, rec).Credential.DelayMs != 2500 {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body)
	}
	list := decode[display.CredentialsBody](t, f.do(t, request{method: http.MethodGet, path: "/api/v1/credentials", token: opToken})).Credentials
	if last := list[len(list)-1]; last.ID != cred.ID || last.Kind != access.KindVenue || last.DelayMs != 2500 {
		t.Fatalf("list: %+v", list)
	}
	// Revoked as the others, it opens its link no more.
	var told []string
	f.auth.Registry().OnRevoke(func(c access.Credential) { told = append(told, c.ID) })
	rec = f.do(t, request{method: http.MethodDelete, path: "/api/v1/credentials/" + cred.ID, token: opToken})
	if rec.Code != http.StatusOK || len(told) != 1 || told[0] != cred.ID {
		t.Fatalf("revoke: %d %s, told %v", rec.Code, rec.Body, told)
	}
	if _, ok := f.auth.Registry().Venue(cred.ID, made.Secret); ok {
		t.Fatal("a revoked venue key still opens its leaf link")
	}
}

func TestVenueCommandWithoutLeafAddresses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		venueOf func() []string
	}{
		{"no VenueOf", nil},
		{"an empty answer", func() []string { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, io.Discard, func(cfg *display.Config) { cfg.VenueOf = tc.venueOf })
			made := f.newCredential(t, `{"kind":"venue","label":"Xã Đồng Nai's \"hội trường\""}`)
			want := "phatdong --venue-of " + display.VenuePlaceholder + " --venue-key " + made.VenueKey +
				` --venue 'Xã Đồng Nai'\''s "hội trường"'`
			if made.Command != want || made.Credential.DelayMs != 0 {
				t.Fatalf("command\n%s\nwant\n%s", made.Command, want)
			}
		})
	}
}

func TestVenueBodiesRefused(t *testing.T) {
	f := newFixture(t)
	venue := f.newCredential(t, `{"kind":"venue","label":"Huyện Lộc Ninh","delayMs":1500}`).Credential
	operator := f.newCredential(t, `{"kind":"operator","label":"iPad MC"}`).Credential
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"a venue without a name", "POST", "/api/v1/credentials", `{"kind":"venue","delayMs":100}`, 400, "invalid", "label"},
		{"a venue with a button", "POST", "/api/v1/credentials", `{"kind":"venue","label":"H","button":"nut-1"}`, 400, "invalid", "button"},
		{"a venue delay too long", "POST", "/api/v1/credentials", `{"kind":"venue","label":"H","delayMs":10001}`, 400, "invalid", "delayMs"},
		{"a negative venue delay", "POST", "/api/v1/credentials", `{"kind":"venue","label":"H","delayMs":-1}`, 400, "invalid", "delayMs"},
		{"a delay on an operator", "POST", "/api/v1/credentials", `{"kind":"operator","label":"iPad","delayMs":5}`, 400, "invalid", "delayMs"},
		{"an unknown field", "POST", "/api/v1/credentials", `{"kind":"venue","label":"H","delay":5}`, 400, "invalid", "delay"},
		{"patch out of range", "PATCH", "/api/v1/credentials/" + venue.ID, `{"delayMs":10001}`, 400, "invalid", "delayMs"},
		{"patch with nothing", "PATCH", "/api/v1/credentials/" + venue.ID, `{}`, 400, "invalid", "delayMs"},
		{"patch an unknown field", "PATCH", "/api/v1/credentials/" + venue.ID, `{"delayMs":5,"label":"x"}`, 400, "invalid", "label"},
		{"patch not JSON", "PATCH", "/api/v1/credentials/" + venue.ID, `{`, 400, "invalid", ""},
		{"patch an operator", "PATCH", "/api/v1/credentials/" + operator.ID, `{"delayMs":5}`, 404, "not_found", ""},
		{"patch the administrator", "PATCH", "/api/v1/credentials/admin", `{"delayMs":5}`, 404, "not_found", ""},
		{"patch an unknown id", "PATCH", "/api/v1/credentials/k0000000000", `{"delayMs":5}`, 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.auth.Registry().List()
			rec := f.do(t, request{method: tc.method, path: tc.path, token: opToken, body: tc.body})
			e := errorOf(t, rec)
			if rec.Code != tc.status || e.Code != tc.code || tc.field != "" && e.Field != tc.field {
				t.Fatalf("%d %s, want %d %s on %q", rec.Code, rec.Body, tc.status, tc.code, tc.field)
			}
			after := f.auth.Registry().List()
			if len(after) != len(before) {
				t.Fatalf("a refused body changed the credentials: %d → %d", len(before), len(after))
			}
			for i := range after {
				if after[i] != before[i] {
					t.Fatalf("a refused body changed %s: %+v → %+v", after[i].ID, before[i], after[i])
				}
			}
		})
	}
	// The routes are the administrator's: an operator's own credential is refused.
	opSecret := f.newCredential(t, `{"kind":"operator","label":"iPad 2"}`).Secret
	rec := f.do(t, request{method: http.MethodPatch, path: "/api/v1/credentials/" + venue.ID, token: opSecret, body: `{"delayMs":5}`})
	if rec.Code != http.StatusForbidden {
		t.Fatalf("a patch with an operator's credential: %d %s", rec.Code, rec.Body)
	}
}
