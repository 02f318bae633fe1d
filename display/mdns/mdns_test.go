package mdns

import (
	"io"
	"log/slog"
	"net"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

func TestLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"May-Chu", "may-chu"},
		{"may chu.lan", "may-chu"},
		{"Máy chủ", "may-chu"},
		{"Đồng Xoài", "dong-xoai"},
		{"---", "phatdong"},
		{"", "phatdong"},
	}
	for _, tt := range tests {
		if got := Label(tt.in); got != tt.want {
			t.Errorf("Label(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// txtOf asks z for the instance's TXT record.
func txtOf(t *testing.T, z *zone) []string {
	t.Helper()
	rrs := z.Records(dns.Question{Name: "phatdong-may-chu-8080." + dnssd.Service + ".local.", Qtype: dns.TypeTXT, Qclass: dns.ClassINET})
	for _, rr := range rrs {
		if txt, ok := rr.(*dns.TXT); ok {
			return txt.Txt
		}
	}
	t.Fatalf("no TXT record in %v", rrs)
	return nil
}

// TestZoneFollowsTheRole: a standby that takes over is advertised as the
// primary at the next question.
func TestZoneFollowsTheRole(t *testing.T) {
	var primary atomic.Bool
	role := func() string {
		if primary.Load() {
			return dnssd.RolePrimary
		}
		return dnssd.RoleStandby
	}
	z := &zone{cfg: Config{Hostname: "may-chu", Port: 8080, IPs: []net.IP{net.IPv4(10, 0, 0, 3)}, Version: "devel", Scheme: "http",
		Role: role, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	if txt := txtOf(t, z); !slices.Contains(txt, "role=standby") || !slices.Contains(txt, "addrs=10.0.0.3:8080") {
		t.Fatalf("TXT %v", txt)
	}
	primary.Store(true)
	if txt := txtOf(t, z); !slices.Contains(txt, "role=primary") {
		t.Fatalf("after the takeover: TXT %v", txt)
	}
	rrs := z.Records(dns.Question{Name: "may-chu.local.", Qtype: dns.TypeA, Qclass: dns.ClassINET})
	if len(rrs) == 0 {
		t.Fatal("no A record for may-chu.local")
	}
}

func TestStartNeedsAPortARoleAndAnAddress(t *testing.T) {
	if _, err := Start(Config{Port: 8080, Role: func() string { return dnssd.RolePrimary }}); err == nil {
		t.Error("started without an address")
	}
}
