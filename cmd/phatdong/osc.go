package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/oscin"
)

// oscFlags declares --osc-addr and --osc-allow.
func oscFlags(fs *flag.FlagSet, env func(name, def string) string, addr, allow *string) {
	fs.StringVar(addr, "osc-addr", env("OSC_ADDR", "off"),
		"take show commands over OSC on this UDP address, e.g. :8000 (PHATDONG_OSC_ADDR); off by default. OSC has no authentication: see --osc-allow and docs/companion.md")
	fs.StringVar(allow, "osc-allow", env("OSC_ALLOW", ""),
		"comma-separated IP addresses or CIDR prefixes whose OSC messages are obeyed, e.g. 192.168.1.20 (PHATDONG_OSC_ALLOW); empty refuses every sender")
}

// checkOSCFlags reads --osc-addr ("off" is "") and --osc-allow.
func checkOSCFlags(addr, allow string) (string, oscin.AllowList, error) {
	list, err := oscin.ParseAllow(splitList(allow))
	if err != nil {
		return "", nil, fmt.Errorf("--osc-allow: %w", err)
	}
	if strings.EqualFold(addr, "off") || addr == "" {
		if len(list) > 0 {
			return "", nil, fmt.Errorf("--osc-allow needs --osc-addr")
		}
		return "", nil, nil
	}
	if _, _, err := splitHostPort(addr); err != nil {
		return "", nil, fmt.Errorf("--osc-addr: %q %v (host:port, :8000, or off)", addr, err)
	}
	return addr, list, nil
}

// openOSC opens the OSC listener when --osc-addr asks for one. Its
// commands go to the engine as HTTP commands do.
func (s *Server) openOSC() error {
	if s.cfg.OSCAddr == "" {
		return nil
	}
	exec := func(cmd controller.Command, actor controller.Actor) error {
		_, err := s.engine.Execute(cmd, actor)
		return err
	}
	l, err := oscin.Listen(oscin.Config{Addr: s.cfg.OSCAddr, Allow: s.cfg.OSCAllow, Exec: exec,
		Log: s.log.With("part", "osc"), Registry: s.api.Registry()})
	if err != nil {
		return err
	}
	s.osc = l
	return nil
}

// serveOSC reads OSC packets until ctx ends; nothing without a listener.
func (s *Server) serveOSC(ctx context.Context) {
	if s.osc == nil {
		return
	}
	if err := s.osc.Serve(ctx); err != nil {
		s.log.Error("osc", "err", err)
	}
}

// printOSC warns, in the banner, that OSC has no authentication.
func (s *Server) printOSC(b *strings.Builder) {
	if s.osc == nil {
		return
	}
	fmt.Fprintf(b, "OSC (UDP %s): nhận lệnh /phatdong/next, /previous, /start, /pause, /goto, /add-time, /message, /blackout.\n", s.osc.Addr())
	fmt.Fprintf(b, "  CẢNH BÁO: OSC không có xác thực. Chỉ nhận từ: %s. Không bao giờ kích hoạt hay bấm phát động qua OSC.\n", allowText(s.cfg.OSCAllow))
}

func allowText(l oscin.AllowList) string {
	if len(l) == 0 {
		return "(không ai — đặt --osc-allow)"
	}
	return l.String()
}
