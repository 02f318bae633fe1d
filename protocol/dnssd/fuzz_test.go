package dnssd

import (
	"net"
	"testing"

	"github.com/miekg/dns"
)

// FuzzRecords feeds any packet a LAN may send to the browse's reading of
// answers: it never panics, and every server it reads has a scheme, a role
// and host:port addresses.
func FuzzRecords(f *testing.F) {
	m := new(dns.Msg)
	m.Response = true
	inst := "phatdong-a-8080." + Service + ".local."
	m.Answer = []dns.RR{&dns.PTR{Hdr: dns.RR_Header{Name: Service + ".local.", Rrtype: dns.TypePTR, Class: dns.ClassINET}, Ptr: inst}}
	m.Extra = []dns.RR{
		&dns.SRV{Hdr: dns.RR_Header{Name: inst, Rrtype: dns.TypeSRV, Class: dns.ClassINET}, Target: "a.local.", Port: 8080},
		&dns.TXT{Hdr: dns.RR_Header{Name: inst, Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: Record{Scheme: "http", Role: RolePrimary, Addrs: []string{"10.0.0.2:8080"}}.TXT()},
		&dns.A{Hdr: dns.RR_Header{Name: "a.local.", Rrtype: dns.TypeA, Class: dns.ClassINET}, A: net.IPv4(10, 0, 0, 2)},
	}
	seed, err := m.Pack()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, packet []byte) {
		msg := new(dns.Msg)
		if msg.Unpack(packet) != nil {
			return
		}
		for _, r := range records([]*dns.Msg{msg}) {
			if r.Scheme != "http" && r.Scheme != "https" || r.Role == "" {
				t.Fatalf("a record without scheme or role: %+v", r)
			}
			for _, a := range r.Addrs {
				if _, _, err := net.SplitHostPort(a); err != nil {
					t.Fatalf("address %q: %v", a, err)
				}
			}
			_ = r.WebsocketURL()
		}
	})
}
