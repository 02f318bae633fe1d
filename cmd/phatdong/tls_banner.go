package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/phatdong/phatdong/display"
)

// scheme is how devices reach the server: https with a certificate, http
// without.
func (s *Server) scheme() string {
	if s.tls != nil {
		return "https"
	}
	return "http"
}

// printTransport ends the banner with what the connection protects. In
// clear it says that the secrets cross the LAN readable and how to turn
// HTTPS on; over HTTPS, where devices install the CA, its fingerprint to
// compare, and any address of the server the certificate does not name.
func (s *Server) printTransport(b *strings.Builder, bases []string) {
	if s.tls == nil {
		fmt.Fprintf(b, "CẢNH BÁO: máy chủ chạy HTTP, không mã hoá. Mã điều khiển (operator token) và khoá nút bấm (button key)\n")
		fmt.Fprintf(b, "đi qua mạng LAN ở dạng rõ: ai dùng chung mạng cũng có thể đọc được.\n")
		fmt.Fprintf(b, "Bật HTTPS: chạy \"phatdong cert\", rồi khởi động lại máy chủ với các cờ --tls-cert, --tls-key, --tls-ca mà lệnh đó in ra.\n\n")
		return
	}
	fmt.Fprintf(b, "HTTPS đang bật: mã và khoá được mã hoá trên mạng LAN. Chứng chỉ máy chủ hết hạn ngày %s.\n",
		s.tls.leaf.NotAfter.Format("02/01/2006"))
	if s.tls.ca != nil {
		fmt.Fprintf(b, "Cài CA của máy chủ lên từng thiết bị (một lần): %s%s\n", bases[0], display.TrustPage.Path)
		fmt.Fprintf(b, "Dấu vân tay SHA-256 của CA: %s\n", display.Fingerprint(s.tls.ca.Raw))
		fmt.Fprintf(b, "curl cần thêm --cacert %s\n", shellQuote(s.cfg.TLSCA))
	} else {
		fmt.Fprintf(b, "Không có --tls-ca: trang cài CA (/trust) tắt; thiết bị phải tin cậy chứng chỉ bằng cách khác.\n")
	}
	for _, base := range bases {
		u, err := url.Parse(base)
		if err != nil {
			continue
		}
		if err := s.tls.leaf.VerifyHostname(u.Hostname()); err != nil {
			fmt.Fprintf(b, "Chứng chỉ không có tên %s: thiết bị mở %s sẽ báo lỗi. Chạy lại \"phatdong cert\" (CA giữ nguyên).\n", u.Hostname(), base)
		}
	}
	b.WriteString("\n")
}
