// Package dnssd is how a phatdong server is named on the LAN (issue #17):
// the DNS-SD service type, the TXT record a server advertises over mDNS,
// and Browse, which finds the servers. The server advertises through
// display/mdns; the button agent and the doctor browse with this package,
// which imports neither display nor controller.
package dnssd

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Service is the DNS-SD service type of a phatdong server.
const Service = "_phatdong._tcp"

// The roles a server advertises.
const (
	RolePrimary = "primary" // takes commands and presses
	RoleStandby = "standby" // follows the primary; takes over on one touch
	RoleHall    = "hall"    // a district hall's server, following the province
)

// TXT keys of the record.
const (
	keyVersion = "version"
	keyScheme  = "scheme"
	keyRole    = "role"
	keyAddrs   = "addrs"
)

// maxTXT bounds one TXT string (a DNS character-string holds 255 bytes).
const maxTXT = 255

// Record is one server as it advertises itself.
type Record struct {
	// Instance is the service instance's name, e.g. "phatdong on may-chu".
	Instance string `json:"instance"`
	// Host is the machine's mDNS name, e.g. "may-chu.local".
	Host string `json:"host"`
	Port int    `json:"port"`
	// Version is the server's build version ("devel" for a build from
	// source).
	Version string `json:"version"`
	// Scheme is "http" or "https".
	Scheme string `json:"scheme"`
	// Role is RolePrimary, RoleStandby or RoleHall.
	Role string `json:"role"`
	// Addrs are the host:port addresses devices reach the server at, the
	// LAN's first.
	Addrs []string `json:"addrs"`
}

// TXT encodes r's fields as the strings of its TXT record.
func (r Record) TXT() []string {
	out := []string{keyVersion + "=" + r.Version, keyScheme + "=" + r.Scheme, keyRole + "=" + r.Role}
	// The addresses fill one string up to its limit; the rest are left out
	// (the A records and the SRV port still reach the server).
	addrs := keyAddrs + "="
	for i, a := range r.Addrs {
		next := addrs
		if i > 0 {
			next += ","
		}
		next += a
		if len(next) > maxTXT {
			break
		}
		addrs = next
	}
	return append(out, addrs)
}

// ParseTXT reads the fields of a TXT record into r, checking each: an
// unknown key is ignored (a newer server may add some), a bad value is an
// error naming it.
func (r *Record) ParseTXT(fields []string) error {
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case keyVersion:
			r.Version = v
		case keyScheme:
			if v != "http" && v != "https" {
				return fmt.Errorf("dnssd: TXT %s=%q: want http or https", k, v)
			}
			r.Scheme = v
		case keyRole:
			if v != RolePrimary && v != RoleStandby && v != RoleHall {
				return fmt.Errorf("dnssd: TXT %s=%q: want %s, %s or %s", k, v, RolePrimary, RoleStandby, RoleHall)
			}
			r.Role = v
		case keyAddrs:
			r.Addrs = nil
			for a := range strings.SplitSeq(v, ",") {
				if a == "" {
					continue
				}
				if _, _, err := net.SplitHostPort(a); err != nil {
					return fmt.Errorf("dnssd: TXT %s: %q is not host:port", k, a)
				}
				r.Addrs = append(r.Addrs, a)
			}
		}
	}
	if r.Scheme == "" || r.Role == "" {
		return errors.New("dnssd: TXT record without scheme or role: not a phatdong server")
	}
	return nil
}

// BaseURL is the URL devices open the server at: its scheme and first
// address, e.g. http://10.0.0.2:8080; "" when it has none.
func (r Record) BaseURL() string {
	if len(r.Addrs) == 0 {
		return ""
	}
	return (&url.URL{Scheme: r.Scheme, Host: r.Addrs[0]}).String()
}

// WebsocketURL is the server's websocket, e.g. ws://10.0.0.2:8080/ws.
func (r Record) WebsocketURL() string {
	base := r.BaseURL()
	if base == "" {
		return ""
	}
	return "ws" + strings.TrimPrefix(base, "http") + "/ws"
}

// Primary picks the primary among records: the first of role primary
// with an address, sorted by instance name so every agent picks the same
// one. ok is false when there is none.
func Primary(records []Record) (Record, bool) {
	return pick(records, RolePrimary)
}

// Standby picks the standby among records, as Primary does.
func Standby(records []Record) (Record, bool) {
	return pick(records, RoleStandby)
}

func pick(records []Record, role string) (Record, bool) {
	var found []Record
	for _, r := range records {
		if r.Role == role && len(r.Addrs) > 0 {
			found = append(found, r)
		}
	}
	if len(found) == 0 {
		return Record{}, false
	}
	slices.SortFunc(found, func(a, b Record) int { return strings.Compare(a.Instance, b.Instance) })
	return found[0], true
}

// hostPort joins a host and a port, for addresses made from A records.
func hostPort(ip net.IP, port int) string {
	return net.JoinHostPort(ip.String(), strconv.Itoa(port))
}
