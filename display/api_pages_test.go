package display_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	tests := []struct {
		path, inBody string
		status       int
	}{
		{"/stage", "Sân khấu", 200},
		{"/mc", "<title>MC</title>", 200},
		{"/", `href="/presenter"`, 200},
		{"/js/link.js", "export const x", 200},
		{"/css/base.css", "body{}", 200},
		{"/presenter", "", 404}, // not in this test's page set
		{"/js/", "", 404},       // no directory listing
		{"/js/../../etc/passwd", "", 404},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := f.do(t, request{method: http.MethodGet, path: tt.path})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status != http.StatusOK {
				return
			}
			if !strings.Contains(rec.Body.String(), tt.inBody) {
				t.Errorf("body lacks %q: %.200s", tt.inBody, rec.Body)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
}
