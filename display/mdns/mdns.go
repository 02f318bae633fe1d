// Package mdns advertises a phatdong server on the LAN as
// _phatdong._tcp over mDNS (issue #17), so the button agent and the
// kiosk scripts find it by name, and answers for <hostname>.local. The
// record's form is protocol/dnssd's.
package mdns

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
	"golang.org/x/text/unicode/norm"

	"github.com/phatdong/phatdong/protocol/dnssd"
)

// Config is what the server advertises.
type Config struct {
	// Hostname is the machine's name without ".local"; "" is os.Hostname.
	Hostname string
	// Port is the server's HTTP(S) port.
	Port int
	// IPs are the addresses the name answers with (the LAN's); empty is
	// an error.
	IPs []net.IP
	// Version is the server's build version.
	Version string
	// Scheme is "http" or "https".
	Scheme string
	// Role tells the server's current role (dnssd.RolePrimary, …); it is
	// asked on every query, so a standby that takes over is advertised as
	// the primary at once. It must be cheap.
	Role func() string
	Log  *slog.Logger
}

// Advertiser answers mDNS questions for the server until Close.
type Advertiser struct {
	servers []*mdns.Server // one per interface
	zone    *zone
	host    string
}

// Start advertises the server. It fails when cfg is incomplete or no
// multicast socket can be opened (no interface up, or no permission).
func Start(cfg Config) (*Advertiser, error) {
	if cfg.Port <= 0 || cfg.Role == nil || len(cfg.IPs) == 0 {
		return nil, errors.New("mdns: advertise: needs a port, a role and at least one address")
	}
	if cfg.Hostname == "" {
		h, err := os.Hostname()
		if err != nil {
			return nil, fmt.Errorf("mdns: advertise: the host name: %w", err)
		}
		cfg.Hostname = h
	}
	cfg.Hostname = Label(cfg.Hostname)
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	z := &zone{cfg: cfg}
	if _, err := z.service(); err != nil {
		return nil, err
	}
	a := &Advertiser{zone: z, host: cfg.Hostname + ".local"}
	// One responder per interface, each joined to the group there: a
	// machine on two networks (wired and Wi-Fi) answers on both.
	var errs []error
	for _, ifc := range dnssd.Interfaces() {
		srv, err := mdns.NewServer(&mdns.Config{Zone: z, Iface: &ifc, Logger: log.New(io.Discard, "", 0)})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ifc.Name, err))
			continue
		}
		a.servers = append(a.servers, srv)
	}
	if len(a.servers) == 0 {
		errs = append(errs, errors.New("no interface up that can multicast"))
		return nil, fmt.Errorf("mdns: advertise: %w", errors.Join(errs...))
	}
	for _, err := range errs {
		cfg.Log.Warn("mdns: not advertised on an interface", "err", err)
	}
	return a, nil
}

// Host is the name the server answers for, e.g. "may-chu.local".
func (a *Advertiser) Host() string { return a.host }

// Close stops answering.
func (a *Advertiser) Close() error {
	if a == nil {
		return nil
	}
	var errs []error
	for _, s := range a.servers {
		errs = append(errs, s.Shutdown())
	}
	return errors.Join(errs...)
}

// Browse finds the phatdong servers on the LAN (dnssd.Browse).
func Browse(ctx context.Context, timeout time.Duration) ([]dnssd.Record, error) {
	return dnssd.Browse(ctx, timeout)
}

// Label makes s a DNS label: lower case letters without their marks
// ("Máy chủ" → "may-chu"), digits and '-', the first label of a dotted name
// only, at most 63 bytes; "phatdong" if nothing is left.
func Label(s string) string {
	s, _, _ = strings.Cut(strings.ToLower(s), ".")
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if r == 'đ' {
			r = 'd'
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == '_' || r == ' ':
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 63 {
		out = out[:63]
	}
	if out == "" {
		return "phatdong"
	}
	return out
}

// zone is the advertised service, rebuilt when the role changes.
type zone struct {
	cfg Config

	mu   sync.Mutex
	role string
	svc  *mdns.MDNSService
}

// Records answers one question (mdns.Zone).
func (z *zone) Records(q dns.Question) []dns.RR {
	svc, err := z.service()
	if err != nil {
		z.cfg.Log.Warn("mdns: cannot describe the server", "err", err)
		return nil
	}
	return svc.Records(q)
}

// service is the service record for the current role.
func (z *zone) service() (*mdns.MDNSService, error) {
	role := z.cfg.Role()
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.svc != nil && role == z.role {
		return z.svc, nil
	}
	c := z.cfg
	rec := dnssd.Record{Version: c.Version, Scheme: c.Scheme, Role: role}
	for _, ip := range c.IPs {
		rec.Addrs = append(rec.Addrs, net.JoinHostPort(ip.String(), fmt.Sprint(c.Port)))
	}
	instance := fmt.Sprintf("phatdong-%s-%d", c.Hostname, c.Port)
	svc, err := mdns.NewMDNSService(instance, dnssd.Service, "local.", c.Hostname+".local.", c.Port, c.IPs, rec.TXT())
	if err != nil {
		return nil, fmt.Errorf("mdns: advertise: %w", err)
	}
	z.svc, z.role = svc, role
	return svc, nil
}
