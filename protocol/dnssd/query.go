package dnssd

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// mdnsGroup is the mDNS IPv4 group and port.
var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// queryOn asks the link of ifc for the service, as a one-shot querier
// (RFC 6762 §5.1): from an ephemeral port, so responders answer by
// unicast, and with the multicast interface set, so no route to the group
// is needed (a LAN of fixed addresses may have no gateway). It asks again
// a third of the way in, against a lost packet, and sends every answer
// heard on heard until timeout or ctx's end.
func queryOn(ctx context.Context, ifc *net.Interface, timeout time.Duration, heard chan<- *dns.Msg) error {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		return fmt.Errorf("%s: %w", ifc.Name, err)
	}
	defer conn.Close()
	pc := ipv4.NewPacketConn(conn)
	if err := pc.SetMulticastInterface(ifc); err != nil {
		return fmt.Errorf("%s: set the multicast interface: %w", ifc.Name, err)
	}
	_ = pc.SetMulticastTTL(255)
	q := new(dns.Msg)
	q.SetQuestion(Service+".local.", dns.TypePTR)
	q.Id, q.RecursionDesired = 0, false
	q.Question[0].Qclass |= 1 << 15 // QU: a unicast answer, please
	packet, err := q.Pack()
	if err != nil {
		return fmt.Errorf("pack the question: %w", err)
	}
	if _, err := conn.WriteToUDP(packet, mdnsGroup); err != nil {
		return fmt.Errorf("%s: send the question: %w", ifc.Name, err)
	}
	again := time.AfterFunc(timeout/3, func() { _, _ = conn.WriteToUDP(packet, mdnsGroup) })
	defer again.Stop()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	_ = conn.SetReadDeadline(time.Now().Add(timeout))
	buf := make([]byte, 9000)
	for {
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			return nil // the deadline (or ctx): listening is over
		}
		m := new(dns.Msg)
		if m.Unpack(buf[:n]) == nil && m.Response {
			select {
			case heard <- m:
			case <-ctx.Done():
				return nil
			}
		}
	}
}

// records reads the phatdong servers from the answers: a PTR names an
// instance, its SRV gives host and port, its TXT the record, the host's A
// records its addresses.
func records(msgs []*dns.Msg) []Record {
	instances := map[string]bool{}
	srv := map[string]*dns.SRV{}
	txt := map[string][]string{}
	addrs := map[string][]net.IP{}
	service := strings.ToLower(Service + ".local.")
	for _, m := range msgs {
		for _, rr := range append(m.Answer, m.Extra...) {
			name := strings.ToLower(rr.Header().Name)
			switch rr := rr.(type) {
			case *dns.PTR:
				if name == service {
					instances[strings.ToLower(rr.Ptr)] = true
				}
			case *dns.SRV:
				srv[name] = rr
			case *dns.TXT:
				txt[name] = rr.Txt
			case *dns.A:
				addrs[name] = append(addrs[name], rr.A)
			}
		}
	}
	var out []Record
	for name := range instances {
		s, ok := srv[name]
		if !ok {
			continue
		}
		r := Record{Instance: InstanceOf(name), Host: strings.TrimSuffix(s.Target, "."), Port: int(s.Port)}
		if r.ParseTXT(txt[name]) != nil {
			continue
		}
		if len(r.Addrs) == 0 {
			for _, ip := range addrs[strings.ToLower(s.Target)] {
				r.Addrs = append(r.Addrs, hostPort(ip, r.Port))
			}
		}
		out = append(out, r)
	}
	return out
}
