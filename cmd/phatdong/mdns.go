package main

import (
	"net"
	"strconv"
	"strings"

	"github.com/phatdong/phatdong/cmd/internal/version"
	"github.com/phatdong/phatdong/display/mdns"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

// startMDNS advertises the server on the LAN when --mdns is on. A failure
// (no multicast, no LAN address) is logged and the server runs on: the
// devices can still be given its address.
func (s *Server) startMDNS() {
	if !s.cfg.MDNS {
		return
	}
	tcp, ok := s.ln.Addr().(*net.TCPAddr)
	if !ok {
		return
	}
	ips := lanIPs()
	if !tcp.IP.IsUnspecified() {
		ips = nil
		if !tcp.IP.IsLoopback() {
			ips = []net.IP{tcp.IP}
		}
	}
	if len(ips) == 0 {
		s.log.Info("mdns: not advertised: the server listens on no LAN address", "addr", tcp.String())
		return
	}
	adv, err := mdns.Start(mdns.Config{Port: tcp.Port, IPs: ips, Version: version.String(), Scheme: s.scheme(), Role: s.mdnsRole, Log: s.log})
	if err != nil {
		s.log.Warn("mdns: not advertised; give the devices the server's address", "err", err)
		return
	}
	s.mdns = adv
	s.log.Info("mdns: advertised", "service", dnssd.Service, "host", adv.Host())
}

// mdnsRole is the role the server advertises now.
func (s *Server) mdnsRole() string {
	switch {
	case len(s.cfg.VenueOf) > 0:
		return dnssd.RoleHall
	case s.engine.Primary():
		return dnssd.RolePrimary
	}
	return dnssd.RoleStandby
}

// mdnsURL is the server's URL by its mDNS name, e.g.
// http://may-chu.local:8080; "" when it is not advertised.
func (s *Server) mdnsURL() string {
	if s.mdns == nil {
		return ""
	}
	return s.scheme() + "://" + net.JoinHostPort(s.mdns.Host(), strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port))
}

// envOn reads an on/off environment value: 0, off, false and no are off,
// anything else on.
func envOn(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "off", "false", "no":
		return false
	}
	return true
}
