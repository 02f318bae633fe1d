package display_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/qr/qrtest"
)

// A code made from a page opened at localhost carries the server's first
// LAN address, which a phone reaches; any other address is kept.
func TestQROriginIsOneOtherDevicesReach(t *testing.T) {
	lan := []string{"http://192.168.1.10:8080", "http://10.0.0.5:8080", "http://localhost:8080"}
	for _, tc := range []struct {
		name, host string
		bases      []string
		want       string
	}{
		{"localhost, the LAN known", "localhost:8080", lan, "http://192.168.1.10:8080/stage"},
		{"127.0.0.1, the LAN known", "127.0.0.1:8080", lan, "http://192.168.1.10:8080/stage"},
		{"[::1], the LAN known", "[::1]:8080", lan, "http://192.168.1.10:8080/stage"},
		{"a LAN address is kept", "10.0.0.5:8080", lan, "http://10.0.0.5:8080/stage"},
		{"a name is kept", "example.com", lan, "http://example.com/stage"},
		{"loopback only", "127.0.0.1:8080", []string{"http://127.0.0.1:8080"}, "http://127.0.0.1:8080/stage"},
		{"no addresses known", "localhost:8080", nil, "http://localhost:8080/stage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, io.Discard, func(cfg *display.Config) {
				if tc.bases != nil {
					cfg.BaseURLs = func() []string { return tc.bases }
				}
			})
			rec := f.doWith(t, request{method: http.MethodPost, path: "/api/v1/qr", token: opToken, body: `{"path":"/stage"}`},
				func(r *http.Request) { r.Host = tc.host })
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			got, err := qrtest.DecodePNG(rec.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || rec.Header().Get(display.QRLinkHeader) != tc.want {
				t.Fatalf("the code opens %q (header %q), want %q", got, rec.Header().Get(display.QRLinkHeader), tc.want)
			}
		})
	}
}
