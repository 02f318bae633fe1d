package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/display/qr"
	"github.com/phatdong/phatdong/display/qr/qrtest"
)

// bannerQRBlocks cuts the QR codes out of a banner: runs of lines made
// of half blocks and spaces only.
func bannerQRBlocks(banner string) []string {
	var blocks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			blocks = append(blocks, cur.String())
			cur.Reset()
		}
	}
	for _, l := range strings.Split(banner, "\n") {
		if l != "" && strings.ContainsAny(l, "█▀▄ ") && !strings.ContainsFunc(l, func(r rune) bool { return !strings.ContainsRune("█▀▄ ", r) }) {
			cur.WriteString(l + "\n")
			continue
		}
		flush()
	}
	flush()
	return blocks
}

func TestBannerQRCodesOpenTheMCWithItsTokenAndTheStage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	cfg := testConfig(t, db)
	for _, theme := range []qr.Theme{qr.Dark, qr.Light} {
		t.Run(string(theme), func(t *testing.T) {
			cfg.QR = theme
			r := start(t, cfg)
			var banner bytes.Buffer
			r.PrintBanner(&banner)
			blocks := bannerQRBlocks(banner.String())
			want := []string{r.url("/mc#token=" + testToken), r.url("/stage")}
			if len(blocks) != len(want) {
				t.Fatalf("%d QR codes in the banner, want %d:\n%s", len(blocks), len(want), banner.String())
			}
			for i, b := range blocks {
				got, err := qrtest.DecodeTerminal(b, theme == qr.Dark)
				if err != nil {
					t.Fatalf("code %d: %v\n%s", i, err, b)
				}
				if got != want[i] {
					t.Errorf("code %d opens %q, want %q", i, got, want[i])
				}
			}
			r.stop()
		})
	}
}

func TestBannerWithoutQR(t *testing.T) {
	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.QR = qr.Off
	r := start(t, cfg)
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	if blocks := bannerQRBlocks(banner.String()); len(blocks) != 0 || strings.Contains(banner.String(), "Quét mã QR") {
		t.Fatalf("--qr off drew %d codes:\n%s", len(blocks), banner.String())
	}
}

func TestQRFlagAndEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want qr.Theme
		err  string
	}{
		{name: "dark by default", want: qr.Dark},
		{name: "the flag", args: []string{"--qr", "light"}, want: qr.Light},
		{name: "the environment", env: map[string]string{"PHATDONG_QR": "off"}, want: qr.Off},
		{name: "a flag wins", args: []string{"--qr", "dark"}, env: map[string]string{"PHATDONG_QR": "off"}, want: qr.Dark},
		{name: "a bad value", args: []string{"--qr", "auto"}, err: "--qr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil || cfg.QR != tc.want {
				t.Fatalf("QR %q, err %v; want %q", cfg.QR, err, tc.want)
			}
		})
	}
}

// The MC open on the server's own laptop (localhost) makes codes with the
// server's first LAN address, the banner's first link.
func TestQRFromLocalhostCarriesTheLANAddress(t *testing.T) {
	cfg := testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))
	cfg.Addr = ":0"
	r := start(t, cfg)
	bases := r.baseURLs()
	port := bases[len(bases)-1][len("http://localhost:"):]
	code, body := call(t, "POST", "http://localhost:"+port+"/api/v1/qr", testToken, `{"path":"/stage"}`)
	if code != 200 {
		t.Fatalf("qr: %d %s", code, body)
	}
	got, err := qrtest.DecodePNG(body)
	if err != nil {
		t.Fatal(err)
	}
	if want := bases[0] + "/stage"; got != want {
		t.Fatalf("the code opens %q, want %q (addresses %v)", got, want, bases)
	}
}
