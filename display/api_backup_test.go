package display_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
)

// newBackupFixture is a fixture whose server copies its own store.
func newBackupFixture(t *testing.T) *fixture {
	t.Helper()
	var f *fixture
	f = newFixtureWith(t, io.Discard, func(c *display.Config) {
		c.Version = "v1.2.3"
		c.Backup = func(start func(int64) (w io.Writer, err error)) (int64, error) { return f.store.BackupSized(start) }
	})
	return f
}

func TestBackupIsTheAdministratorsAlone(t *testing.T) {
	f := newBackupFixture(t)
	operator := f.newCredential(t, `{"kind":"operator","label":"iPad MC"}`).Secret
	button := f.newButtonKey(t, "nut-1")
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"no token", "", 401},
		{"a wrong token", "not-the-token-at-all", 401},
		{"an operator's credential", operator, 403},
		{"a button's key", button, 403},
		{"the shared button key", buttonKey, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/backup", token: tc.token, ip: "192.0.2.7"})
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if rec.Body.Len() > 200 {
				t.Errorf("a refused backup sent %d bytes", rec.Body.Len())
			}
		})
	}
}

func TestBackupCopiesTheAcknowledgedState(t *testing.T) {
	f := newBackupFixture(t)
	f.mustCommand(t, `{"type":"next"}`)
	last := f.mustCommand(t, `{"type":"start"}`)
	rec := f.do(t, request{method: http.MethodGet, path: "/api/v1/backup", token: opToken})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(rec.Body.Len()) {
		t.Errorf("Content-Length %q, body %d bytes", got, rec.Body.Len())
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := bolt.Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if v.Seq != last.State.Seq {
		t.Errorf("the copy holds seq %d, the last acknowledged is %d", v.Seq, last.State.Seq)
	}
}

func TestHealthShowsTheVersion(t *testing.T) {
	f := newBackupFixture(t)
	rec := f.do(t, request{method: http.MethodGet, path: "/healthz"})
	if body := decode[display.HealthBody](t, rec); body.Version != "v1.2.3" {
		t.Errorf("healthz version %q, want v1.2.3", body.Version)
	}
}
