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
