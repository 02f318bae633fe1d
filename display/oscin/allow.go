package oscin

import (
	"fmt"
	"net/netip"
	"strings"
)

// AllowList is the set of sender addresses whose messages are obeyed. The
// empty list refuses every sender.
type AllowList []netip.Prefix

// ParseAllow reads a list of IP addresses and CIDR prefixes
// ("192.168.1.20", "10.0.0.0/24").
func ParseAllow(items []string) (AllowList, error) {
	var out AllowList
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("oscin: allow %q: not an IP address or CIDR prefix", s)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("oscin: allow %q: not an IP address or CIDR prefix", s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Allows says whether a message from addr is obeyed.
func (l AllowList) Allows(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range l {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// String lists the prefixes, comma-separated.
func (l AllowList) String() string {
	s := make([]string, len(l))
	for i, p := range l {
		if p.IsSingleIP() {
			s[i] = p.Addr().String()
		} else {
			s[i] = p.String()
		}
	}
	return strings.Join(s, ",")
}
