package main

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/phatdong/phatdong/display"
)

// PrintBanner tells the person who started the server what to open where,
// with the secrets they need. It goes to stdout, never to the log.
func (s *Server) PrintBanner(w io.Writer) {
	bases := baseURLs(s.ln.Addr(), s.scheme())
	base := bases[0]
	title := s.engine.Snapshot().Show.Title
	var b strings.Builder
	fmt.Fprintf(&b, "\nphatdong đang chạy — %s\n", title)
	fmt.Fprintf(&b, "Cơ sở dữ liệu: %s\n\n", s.cfg.DB)
	fmt.Fprintf(&b, "Mở trên từng thiết bị (cùng mạng LAN):\n")
	for _, p := range display.Pages {
		link := base + p.Path
		switch p.Path {
		case "/mc", "/edit":
			link += "#token=" + s.operatorToken
		case "/button":
			if s.buttonKey != "" {
				link += "#key=" + s.buttonKey + "&button=nut-1"
			}
		}
		fmt.Fprintf(&b, "  %s %s\n", pad(p.Title+":", 42), link)
	}
	if u := s.mdnsURL(); u != "" {
		fmt.Fprintf(&b, "\nTheo tên (mDNS, cùng mạng LAN): %s\n", u)
	}
	if len(bases) > 1 {
		fmt.Fprintf(&b, "\nCác địa chỉ khác của máy chủ: %s\n", strings.Join(bases[1:], "  "))
	}
	fmt.Fprintf(&b, "\nMã quản trị (operator token): %s\n", s.operatorToken)
	fmt.Fprintf(&b, "Giữ bí mật mã này; đặt mã khác bằng --operator-token.\n")
	if s.buttonKey != "" {
		fmt.Fprintf(&b, "Khoá nút bấm dùng chung (kiểu cũ): %s\n", s.buttonKey)
		fmt.Fprintf(&b, "  Mọi lần bấm bằng khoá này chỉ tính là MỘT nút. Hãy tạo khoá riêng cho từng nút rồi thu hồi khoá chung.\n")
	}
	s.printNATS(&b)
	s.printOSC(&b)
	fmt.Fprintf(&b, "Khoá cho từng nút bấm và từng máy tính bảng: tạo và thu hồi ở %s/edit (Thiết bị và khoá).\n\n", base)
	fmt.Fprintf(&b, "Thử điều khiển bằng curl:\n")
	fmt.Fprintf(&b, "  curl -s %s/api/v1/state\n", base)
	fmt.Fprintf(&b, "  curl -s -H 'Authorization: Bearer %s' -d '{\"type\":\"next\"}' %s/api/v1/commands\n", s.operatorToken, base)
	fmt.Fprintf(&b, "  curl -s -OJ '%s/api/v1/report?format=csv'\n\n", base)
	s.printTransport(&b, bases)
	s.printQR(&b, base)
	_, _ = io.WriteString(w, b.String())
}

// printNATS prints the NATS node's addresses and the pairing secret,
// when the node runs.
func (s *Server) printNATS(b *strings.Builder) {
	if s.nats == nil {
		return
	}
	if len(s.cfg.VenueOf) > 0 {
		name := s.cfg.VenueName
		if name == "" {
			name = s.nats.node.VenueID()
		}
		fmt.Fprintf(b, "ĐIỂM CẦU %s: theo dõi lễ của điểm cầu chính %s.\n", name, strings.Join(s.cfg.VenueOf, ", "))
		fmt.Fprintf(b, "  Ở đây chỉ điều khiển màn hình đen và lời nhắn của hội trường này; chương trình do điểm cầu chính điều khiển.\n")
		return
	}
	fmt.Fprintf(b, "NATS (máy chủ dự phòng, điểm cầu): %s\n", strings.Join(baseURLs(s.nats.node.Addr(), "nats"), "  "))
	if s.cfg.StandbyOf != "" {
		fmt.Fprintf(b, "MÁY DỰ PHÒNG của máy chính %s: chỉ theo dõi, lệnh gửi ở máy chính.\n", s.cfg.StandbyOf)
	} else if a := s.nats.node.LeafAddr(); a != nil {
		// The first address devices reach this machine at, as the
		// standby's line to run.
		leaf := strings.TrimPrefix(baseURLs(a, "leaf")[0], "leaf://")
		fmt.Fprintf(b, "Máy dự phòng (máy thứ hai, cùng mạng LAN): phatdong --standby-of %s --pairing-secret %s\n", leaf, s.nats.secret)
	}
	fmt.Fprintf(b, "Mã ghép nối (pairing secret): %s\n", s.nats.secret)
	fmt.Fprintf(b, "  Dùng cho máy chủ dự phòng; giữ bí mật, đặt mã khác bằng --pairing-secret.\n")
	fmt.Fprintf(b, "Điểm cầu (huyện, xã): tạo khoá cho từng điểm cầu ở /edit (Thiết bị và khoá → Điểm cầu), rồi chạy dòng lệnh hiện ra trên máy của điểm cầu.\n")
}

// baseURLs lists scheme://host:port (scheme http or https) for every
// address a device can reach the server at: the LAN addresses first, then
// localhost. A server bound to one address has only that one.
func baseURLs(addr net.Addr, scheme string) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return []string{scheme + "://" + addr.String()}
	}
	port := strconv.Itoa(tcp.Port)
	if !tcp.IP.IsUnspecified() {
		return []string{scheme + "://" + net.JoinHostPort(tcp.IP.String(), port)}
	}
	var out []string
	for _, ip := range lanIPs() {
		out = append(out, scheme+"://"+net.JoinHostPort(ip.String(), port))
	}
	return append(out, scheme+"://localhost:"+port)
}

// lanIPs are the machine's IPv4 addresses other devices may use.
func lanIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		if ip := n.IP.To4(); ip != nil && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
			ips = append(ips, ip)
		}
	}
	return ips
}

// pad right-pads s with spaces to n characters (runes, not bytes, so
// Vietnamese lines up).
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(n-utf8.RuneCountInString(s), 0))
}
