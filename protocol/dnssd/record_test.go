package dnssd

import (
	"net"

	"github.com/miekg/dns"
	"slices"
	"strings"
	"testing"
)

func TestRecordTXTRoundTrip(t *testing.T) {
	in := Record{Version: "v1.2.0", Scheme: "https", Role: RoleStandby, Addrs: []string{"10.0.0.2:8443", "[fd00::2]:8443"}}
	var out Record
	if err := out.ParseTXT(in.TXT()); err != nil {
		t.Fatal(err)
	}
	if out.Version != in.Version || out.Scheme != in.Scheme || out.Role != in.Role || !slices.Equal(out.Addrs, in.Addrs) {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
	if got, want := out.WebsocketURL(), "wss://10.0.0.2:8443/ws"; got != want {
		t.Errorf("WebsocketURL = %q, want %q", got, want)
	}
}

func TestRecordTXTKeepsUnder255Bytes(t *testing.T) {
	var r Record
	r.Scheme, r.Role = "http", RolePrimary
	for range 40 {
		r.Addrs = append(r.Addrs, "192.168.100.200:8080")
	}
	for _, f := range r.TXT() {
		if len(f) > maxTXT {
			t.Errorf("a TXT string of %d bytes: %.40s…", len(f), f)
		}
	}
}

func TestParseTXT(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		err    string
	}{
		{name: "a primary", fields: []string{"version=devel", "scheme=http", "role=primary", "addrs=10.0.0.2:8080"}},
		{name: "an unknown key is ignored", fields: []string{"scheme=http", "role=hall", "colour=blue"}},
		{name: "a bad scheme", fields: []string{"scheme=ftp", "role=primary"}, err: "want http or https"},
		{name: "a bad role", fields: []string{"scheme=http", "role=boss"}, err: "want primary, standby or hall"},
		{name: "a bad address", fields: []string{"scheme=http", "role=primary", "addrs=10.0.0.2"}, err: "not host:port"},
		{name: "another service's record", fields: []string{"path=/printer"}, err: "not a phatdong server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Record
			err := r.ParseTXT(tt.fields)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func TestPrimaryAndStandby(t *testing.T) {
	recs := []Record{
		{Instance: "b", Role: RolePrimary, Addrs: []string{"10.0.0.3:8080"}},
		{Instance: "a", Role: RolePrimary, Addrs: []string{"10.0.0.2:8080"}},
		{Instance: "c", Role: RoleStandby, Addrs: []string{"10.0.0.4:8080"}},
		{Instance: "0", Role: RolePrimary}, // no address: useless
	}
	if p, ok := Primary(recs); !ok || p.Instance != "a" {
		t.Errorf("Primary = %+v %v, want a", p, ok)
	}
	if s, ok := Standby(recs); !ok || s.Instance != "c" {
		t.Errorf("Standby = %+v %v, want c", s, ok)
	}
	if _, ok := Primary(recs[2:]); ok {
		t.Error("a primary among none")
	}
}

func TestInstanceOf(t *testing.T) {
	if got := InstanceOf("phatdong-may-chu-8080._phatdong._tcp.local."); got != "phatdong-may-chu-8080" {
		t.Errorf("InstanceOf = %q", got)
	}
}

func TestPreferLocal(t *testing.T) {
	_, lan, _ := net.ParseCIDR("10.77.2.2/24")
	got := preferLocal([]string{"10.77.1.1:8080", "10.77.2.1:8080", "bad"}, []*net.IPNet{lan})
	if want := []string{"10.77.2.1:8080", "10.77.1.1:8080", "bad"}; !slices.Equal(got, want) {
		t.Errorf("preferLocal = %v, want %v", got, want)
	}
}

func TestRecordsFromAnswers(t *testing.T) {
	m := new(dns.Msg)
	m.Response = true
	inst := "phatdong-may-chu-8080." + Service + ".local."
	m.Answer = []dns.RR{&dns.PTR{Hdr: dns.RR_Header{Name: Service + ".local.", Rrtype: dns.TypePTR}, Ptr: inst}}
	m.Extra = []dns.RR{
		&dns.SRV{Hdr: dns.RR_Header{Name: inst, Rrtype: dns.TypeSRV}, Target: "may-chu.local.", Port: 8080},
		&dns.TXT{Hdr: dns.RR_Header{Name: inst, Rrtype: dns.TypeTXT}, Txt: []string{"scheme=http", "role=primary"}},
		&dns.A{Hdr: dns.RR_Header{Name: "may-chu.local.", Rrtype: dns.TypeA}, A: net.IPv4(10, 0, 0, 2)},
	}
	got := records([]*dns.Msg{m})
	if len(got) != 1 || got[0].Instance != "phatdong-may-chu-8080" || got[0].Host != "may-chu.local" || !slices.Equal(got[0].Addrs, []string{"10.0.0.2:8080"}) {
		t.Errorf("records = %+v", got)
	}
}
