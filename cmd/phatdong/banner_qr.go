package main

import (
	"fmt"
	"strings"

	"github.com/phatdong/phatdong/display/qr"
)

// bannerCode is one QR code of the banner: what it opens and its link.
type bannerCode struct {
	title, link string
}

// bannerCodes are the links the banner draws as QR codes: the MC's page
// with the operator token, and the stage page.
func (s *Server) bannerCodes(base string) []bannerCode {
	return []bannerCode{
		{"Máy tính bảng của MC (đã kèm mã quản trị — đừng để người ngoài quét)", base + "/mc#token=" + s.operatorToken},
		{"Màn hình sân khấu", base + "/stage"},
	}
}

// printQR draws the banner's QR codes for the terminal of cfg.QR, each
// under its title and link; nothing when it is off. A code that cannot
// be drawn is said, not fatal: the links are printed above.
func (s *Server) printQR(b *strings.Builder, base string) {
	theme := s.cfg.QR
	if theme != qr.Dark && theme != qr.Light {
		return
	}
	fmt.Fprintf(b, "Quét mã QR bằng máy tính bảng hoặc điện thoại (tắt bằng --qr off; nền sáng: --qr light):\n")
	for _, c := range s.bannerCodes(base) {
		fmt.Fprintf(b, "\n%s\n%s\n", c.title, c.link)
		text, err := qr.Terminal(c.link, theme)
		if err != nil {
			fmt.Fprintf(b, "  (không vẽ được mã QR: %v)\n", err)
			continue
		}
		b.WriteString(text)
	}
	b.WriteString("\n")
}

// baseURLs are where devices reach the server, LAN addresses first
// (display.Config.BaseURLs); nil before it listens.
func (s *Server) baseURLs() []string {
	if s.ln == nil {
		return nil
	}
	return baseURLs(s.ln.Addr(), s.scheme())
}
