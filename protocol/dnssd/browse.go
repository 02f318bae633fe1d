package dnssd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// DefaultTimeout is how long Browse listens for answers when not told.
const DefaultTimeout = 2 * time.Second

// Browse asks the LAN for phatdong servers over mDNS (IPv4) on every
// interface that can multicast, listens for answers for timeout (or until
// ctx ends), and returns the servers that answered, sorted by instance
// name. An answer that is not a phatdong record is left out. It fails only
// when no interface could send the question.
func Browse(ctx context.Context, timeout time.Duration) ([]Record, error) {
	return BrowseUntil(ctx, timeout, nil)
}

// FindPrimary is Browse that stops listening as soon as a primary has
// answered: the button agent and the scripts need no more.
func FindPrimary(ctx context.Context, timeout time.Duration) ([]Record, error) {
	return BrowseUntil(ctx, timeout, func(r []Record) bool { _, ok := Primary(r); return ok })
}

// BrowseUntil is Browse that stops listening early once enough (when not
// nil) says the servers heard so far are enough.
func BrowseUntil(ctx context.Context, timeout time.Duration, enough func([]Record) bool) ([]Record, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ifaces := Interfaces()
	if len(ifaces) == 0 {
		return nil, errors.New("dnssd: browse: no network interface up that can multicast")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	heard := make(chan *dns.Msg, 16)
	errs := make([]error, len(ifaces))
	var wg sync.WaitGroup
	for i := range ifaces {
		wg.Go(func() { errs[i] = queryOn(ctx, &ifaces[i], timeout, heard) })
	}
	go func() { wg.Wait(); close(heard) }()
	var msgs []*dns.Msg
	var found []Record
	for m := range heard {
		msgs = append(msgs, m)
		found = collect(msgs)
		if enough != nil && enough(found) {
			cancel() // the queries end; heard closes once they have
		}
	}
	if failed := errors.Join(errs...); failed != nil && len(found) == 0 && countNil(errs) == 0 {
		return nil, fmt.Errorf("dnssd: browse: %w", failed)
	}
	return found, nil
}

// collect reads the servers from the answers, one per instance, their
// local addresses first, sorted by instance name.
func collect(msgs []*dns.Msg) []Record {
	byName := map[string]Record{}
	local := localNets()
	for _, r := range records(msgs) {
		r.Addrs = preferLocal(r.Addrs, local)
		byName[r.Instance] = r
	}
	out := make([]Record, 0, len(byName))
	for _, r := range byName {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Record) int { return strings.Compare(a.Instance, b.Instance) })
	return out
}

// InstanceOf is the instance part of a service instance's full name:
// "phatdong-may-chu._phatdong._tcp.local." → "phatdong-may-chu".
func InstanceOf(name string) string {
	name = strings.TrimSuffix(name, ".")
	if i := strings.Index(name, "."+Service+"."); i >= 0 {
		return name[:i]
	}
	return name
}

// Interfaces lists the interfaces mDNS runs on: up, multicast, not
// loopback, with an IPv4 address.
func Interfaces() []net.Interface {
	all, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []net.Interface
	for _, ifc := range all {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagMulticast == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				out = append(out, ifc)
				break
			}
		}
	}
	return out
}

func countNil(errs []error) int {
	n := 0
	for _, e := range errs {
		if e == nil {
			n++
		}
	}
	return n
}

// localNets are the IPv4 networks of this machine's interfaces.
func localNets() []*net.IPNet {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []*net.IPNet
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			out = append(out, n)
		}
	}
	return out
}

// preferLocal puts first the addresses on one of the local networks: a
// server on two networks advertises both, and this machine reaches it on
// the one they share. The order is otherwise kept.
func preferLocal(addrs []string, local []*net.IPNet) []string {
	onLink := func(a string) bool {
		host, _, err := net.SplitHostPort(a)
		ip := net.ParseIP(host)
		if err != nil || ip == nil {
			return false
		}
		return slices.ContainsFunc(local, func(n *net.IPNet) bool { return n.Contains(ip) })
	}
	out := slices.Clone(addrs)
	slices.SortStableFunc(out, func(a, b string) int {
		switch la, lb := onLink(a), onLink(b); {
		case la && !lb:
			return -1
		case lb && !la:
			return 1
		}
		return 0
	})
	return out
}
