package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/phatdong/phatdong/display"
)

// certCommand is what `phatdong cert` needs from its surroundings, so that
// a test runs it with its own.
type certCommand struct {
	getenv   func(string) string
	stdout   io.Writer
	stderr   io.Writer
	hostname func() (string, error)
	lanIPs   func() []net.IP
	now      func() time.Time
}

// run is `phatdong cert [--dir DIR] [--hosts a,b] [--db FILE]`: it
// makes (or keeps) the local CA and issues the server certificate, then
// tells the technician, in Vietnamese, what it made and how to start the
// server with it.
func (c certCommand) run(args []string) error {
	fs := flag.NewFlagSet("phatdong cert", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	db := fs.String("db", envOr(c.getenv, "DB", "phatdong.db"), "the server's database file (PHATDONG_DB); the default --dir is the folder tls next to it")
	dir := fs.String("dir", "", "folder for ca.pem, ca-key.pem, server.pem and server-key.pem (default: tls next to --db)")
	hosts := fs.String("hosts", "", "comma-separated extra host names or IP addresses for the certificate, e.g. a standby server or a DNS name")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong cert: make a local CA (once) and a server certificate for HTTPS.\n\n"+
			"Usage: phatdong cert [--dir DIR] [--hosts a,b,c] [--db FILE]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("cert: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	if *dir == "" {
		if *db == "" {
			return fmt.Errorf("cert: --db: needs a file name")
		}
		abs, err := filepath.Abs(*db)
		if err != nil {
			return fmt.Errorf("cert: --db: %w", err)
		}
		*dir = filepath.Join(filepath.Dir(abs), "tls")
	}
	absDir, err := filepath.Abs(*dir)
	if err != nil {
		return fmt.Errorf("cert: --dir: %w", err)
	}
	host, _ := c.hostname() // without a name, the certificate has the addresses
	names, err := certNames(host, c.lanIPs(), splitList(*hosts))
	if err != nil {
		return err
	}
	files, err := makeCerts(absDir, host, names, c.now())
	if err != nil {
		return err
	}
	// The server must be started on the same database when it was named.
	var serverFlags string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "db" {
			serverFlags = "--db " + shellQuote(*db) + " "
		}
	})
	printCertReport(c.stdout, files, names, serverFlags)
	return nil
}

// envOr is the PHATDONG_ environment variable name, or def.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv("PHATDONG_" + name); v != "" {
		return v
	}
	return def
}

// hostPattern is a DNS name: labels of letters, digits and inner hyphens.
var hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// certNames lists what the server certificate names: the machine's LAN
// addresses, its name and NAME.local (mDNS), localhost and the loopback
// addresses, then extra (peers), each once. A hostname that is not a DNS
// name is left out; an extra one is an error.
func certNames(hostname string, lan []net.IP, extra []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, ip := range lan {
		add(ip.String())
	}
	if h := strings.ToLower(strings.TrimSuffix(hostname, ".")); hostPattern.MatchString(h) {
		add(h)
		add(strings.TrimSuffix(h, ".local") + ".local")
	}
	add("localhost")
	add("127.0.0.1")
	add("::1")
	for _, e := range extra {
		if ip := net.ParseIP(e); ip != nil {
			add(ip.String())
			continue
		}
		h := strings.ToLower(strings.TrimSuffix(e, "."))
		if len(h) > 253 || !hostPattern.MatchString(h) {
			return nil, fmt.Errorf("cert: --hosts: %q is neither a host name nor an IP address (no scheme, port or path)", e)
		}
		add(h)
	}
	return out, nil
}

// printCertReport tells the technician what was made and what to do next.
// serverFlags come before the TLS flags in the command it suggests.
func printCertReport(w io.Writer, f certFiles, names []string, serverFlags string) {
	var b strings.Builder
	caNote := "tạo mới"
	if !f.CACreated {
		caNote = "giữ nguyên từ lần trước: thiết bị đã cài vẫn tin cậy"
	}
	fmt.Fprintf(&b, "\nĐã tạo chứng chỉ HTTPS cho phatdong trong %s\n", f.Dir)
	fmt.Fprintf(&b, "  CA riêng (%s):\n    %s\n", caNote, f.CAPath)
	fmt.Fprintf(&b, "  Khoá của CA (giữ bí mật, không chép sang thiết bị nào):\n    %s\n", f.CAKeyPath)
	fmt.Fprintf(&b, "  Chứng chỉ máy chủ (hết hạn ngày %s):\n    %s\n", f.Server.NotAfter.Format("02/01/2006"), f.CertPath)
	fmt.Fprintf(&b, "  Khoá của máy chủ:\n    %s\n\n", f.KeyPath)
	fmt.Fprintf(&b, "Dấu vân tay SHA-256 của CA (so với dấu hiện trên thiết bị khi cài):\n  %s\n\n", display.Fingerprint(f.CA.Raw))
	fmt.Fprintf(&b, "Tên và địa chỉ trong chứng chỉ máy chủ:\n  %s\n\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "Chạy máy chủ với:\n  phatdong %s--tls-cert %s --tls-key %s --tls-ca %s\n\n",
		serverFlags, shellQuote(f.CertPath), shellQuote(f.KeyPath), shellQuote(f.CAPath))
	fmt.Fprintf(&b, "Rồi trên từng máy tính bảng, điện thoại, máy tính: mở https://ĐỊA-CHỈ-MÁY-CHỦ:CỔNG/trust và làm theo hướng dẫn để cài CA.\n")
	fmt.Fprintf(&b, "Nút bấm Raspberry Pi: chép %s sang Pi và đặt ca = (đường dẫn tệp) trong tệp cấu hình.\n", f.CAPath)
	fmt.Fprintf(&b, "Địa chỉ IP của máy chủ đổi thì chạy lại phatdong cert: CA giữ nguyên, không phải cài lại.\n\n")
	_, _ = io.WriteString(w, b.String())
}

// shellQuote quotes a path for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:\\") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// newCertCommand is `phatdong cert` on this machine.
func newCertCommand() certCommand {
	return certCommand{
		getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr,
		hostname: os.Hostname, lanIPs: lanIPs, now: time.Now,
	}
}
