package display

import "testing"

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.168.1.10:7422,10.0.0.2:7422", "192.168.1.10:7422,10.0.0.2:7422"},
		{"k0123456789:Ab-_x", "k0123456789:Ab-_x"},
		{"", "''"},
		{"Huyện Bù Đăng", "'Huyện Bù Đăng'"},
		{"Bu", "Bu"},
		{"$HOME `id` \"x\"; rm -rf /", "'$HOME `id` \"x\"; rm -rf /'"},
		{"Xã Nai's", `'Xã Nai'\''s'`},
		{"'", `''\'''`},
	} {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Over TLS, a hall's line names the province's CA it must trust.
func TestVenueCommandNamesTheCAOverTLS(t *testing.T) {
	clear := venueCommand([]string{"10.0.0.5:7422"}, "k1:s", "Huyện Bù Đăng", false)
	if clear != "phatdong --venue-of 10.0.0.5:7422 --venue-key k1:s --venue 'Huyện Bù Đăng'" {
		t.Errorf("in clear: %s", clear)
	}
	if got := venueCommand([]string{"10.0.0.5:7422"}, "k1:s", "Huyện Bù Đăng", true); got != clear+" --venue-ca ca.pem" {
		t.Errorf("over TLS: %s", got)
	}
}
