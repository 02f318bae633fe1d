package dnssd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/mdns"
)

// DefaultTimeout is how long Browse listens for answers when not told.
const DefaultTimeout = 2 * time.Second

// Browse asks the LAN for phatdong servers over mDNS (IPv4) on every
// interface that can multicast, listens for answers for timeout (or until
// ctx ends), and returns the servers that answered, sorted by instance
// name. An answer that is not a phatdong record is left out. It fails only
// when no interface could send the question.
func Browse(ctx context.Context, timeout time.Duration) ([]Record, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ifaces := multicastInterfaces()
	if len(ifaces) == 0 {
		return nil, errors.New("dnssd: browse: no network interface up that can multicast")
	}
	entries := make(chan *mdns.ServiceEntry, 64)
	var wg sync.WaitGroup
	errs := make([]error, len(ifaces))
	for i := range ifaces {
		wg.Go(func() {
			err := mdns.QueryContext(ctx, &mdns.QueryParam{
				Service: Service, Domain: "local", Timeout: timeout, Interface: &ifaces[i],
				Entries: entries, DisableIPv6: true, Logger: log.New(io.Discard, "", 0),
			})
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", ifaces[i].Name, err)
			}
		})
	}
	go func() { wg.Wait(); close(entries) }()
	byName := map[string]Record{}
	for e := range entries {
		if r, ok := fromEntry(e); ok {
			byName[r.Instance] = r
		}
	}
	if failed := errors.Join(errs...); failed != nil && len(byName) == 0 && countNil(errs) == 0 {
		return nil, fmt.Errorf("dnssd: browse: %w", failed)
	}
	out := make([]Record, 0, len(byName))
	for _, r := range byName {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Record) int { return strings.Compare(a.Instance, b.Instance) })
	return out, nil
}

// fromEntry reads an answer; ok is false when it is not a phatdong
// server's.
func fromEntry(e *mdns.ServiceEntry) (Record, bool) {
	r := Record{Instance: InstanceOf(e.Name), Host: strings.TrimSuffix(e.Host, "."), Port: e.Port}
	if err := r.ParseTXT(e.InfoFields); err != nil {
		return Record{}, false
	}
	if len(r.Addrs) == 0 && e.AddrV4 != nil && e.Port != 0 {
		r.Addrs = []string{hostPort(e.AddrV4, e.Port)}
	}
	return r, true
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

// multicastInterfaces lists the interfaces that are up, multicast and not
// loopback, with an IPv4 address.
func multicastInterfaces() []net.Interface {
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
