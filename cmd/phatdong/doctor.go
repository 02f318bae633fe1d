package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/phatdong/phatdong/display/preflight"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/dnssd"
)

// errChecksFailed is the doctor's exit when a check did not pass; the
// checklist already says what to fix.
var errChecksFailed = errors.New("doctor: some checks did not pass (✘ above)")

// doctorCommand is `phatdong doctor`: the preflight run from another
// terminal against the running server (issue #17).
type doctorCommand struct {
	out    io.Writer
	getenv func(string) string
	browse func(ctx context.Context, timeout time.Duration) ([]dnssd.Record, error)
}

// run parses args, asks the server for its report (and, with --press, a
// test press of the buttons' LEDs), prints the checklist and fails when a
// check did not pass.
func (d doctorCommand) run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("phatdong doctor", flag.ContinueOnError)
	fs.SetOutput(d.out)
	server := fs.String("server", "auto", "the server, http://host:port, or auto to find it on the LAN by mDNS")
	token := fs.String("token", d.getenv("PHATDONG_OPERATOR_TOKEN"), "the operator token (PHATDONG_OPERATOR_TOKEN), from the server's banner")
	press := fs.Bool("press", false, "in rehearsal mode only: flash every button's LED for 2 s (nothing fires, no screen changes)")
	caFile := fs.String("ca", d.getenv("PHATDONG_TLS_CA"), "the server's CA (its ca.pem) when it serves HTTPS (PHATDONG_TLS_CA)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "phatdong doctor: check the running server and its devices before the show.\n\nUsage: phatdong doctor [--server URL|auto] [--token T] [--press]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("doctor: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	if *token == "" {
		return errors.New("doctor: needs the operator token: --token or PHATDONG_OPERATOR_TOKEN (the server's banner shows it)")
	}
	base, err := d.serverURL(ctx, *server)
	if err != nil {
		return err
	}
	client, err := doctorClient(*caFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "Kiểm tra trước buổi lễ: %s\n\n", base)
	var report protocol.Doctor
	if err := doctorCall(ctx, client, http.MethodGet, base+"/api/v1/doctor", *token, &report); err != nil {
		printChecks(d.out, []protocol.Check{{Text: "Không lấy được báo cáo từ máy chủ: " + err.Error(),
			Fix: "kiểm tra máy chủ đang chạy, địa chỉ (--server) và mã quản trị (--token)"}})
		return errChecksFailed
	}
	// Judged again here, with the addresses this machine could reach.
	list := preflight.Checks(report, probe(ctx, client, report.Addresses))
	if *press {
		var answer protocol.DoctorPress
		var err error
		if report.Rehearsal {
			err = doctorCall(ctx, client, http.MethodPost, base+"/api/v1/doctor/press", *token, &answer)
		}
		list = append(list, pressCheck(report.Rehearsal, answer.Sent, err))
	}
	if !printChecks(d.out, list) {
		failed := 0
		for _, c := range list {
			if !c.OK {
				failed++
			}
		}
		fmt.Fprintf(d.out, "\nCó %d mục chưa đạt: sửa theo hướng dẫn (→) rồi chạy lại.\n", failed)
		return errChecksFailed
	}
	fmt.Fprintln(d.out, "\nMọi mục đều đạt.")
	return nil
}

// serverURL is the server's base URL: the flag's, or with "auto" the
// primary's found on the LAN.
func (d doctorCommand) serverURL(ctx context.Context, server string) (string, error) {
	if server != "auto" {
		u, err := url.Parse(strings.TrimRight(server, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("doctor: --server %q is not http://host:port, https://host:port or auto", server)
		}
		return u.String(), nil
	}
	records, err := d.browse(ctx, dnssd.DefaultTimeout) // dnssd.FindPrimary
	if err != nil {
		return "", fmt.Errorf("doctor: find the server on the LAN: %w (give --server http://host:port)", err)
	}
	p, ok := dnssd.Primary(records)
	if !ok {
		return "", fmt.Errorf("doctor: no phatdong server answered on the LAN (%d answers); give --server http://host:port", len(records))
	}
	return p.BaseURL(), nil
}

// doctorClient is the HTTP client of the doctor, trusting caFile alone
// when given.
func doctorClient(caFile string) (*http.Client, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	if caFile == "" {
		return c, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("doctor: --ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("doctor: --ca %s holds no PEM certificate", caFile)
	}
	c.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return c, nil
}

// doctorCall makes one authorized call and decodes its JSON answer; an
// error answer's message becomes the error.
func doctorCall(ctx context.Context, client *http.Client, method, u, token string, into any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error protocol.Error `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("%s (%d %s)", e.Error.Message, resp.StatusCode, e.Error.Code)
		}
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("decode the answer: %w", err)
	}
	return nil
}

// probeTimeout bounds each address's probe.
const probeTimeout = 2 * time.Second

// probe asks each address's /healthz at once and says which answered.
func probe(ctx context.Context, client *http.Client, addrs []string) map[string]bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[string]bool{}
	for _, a := range addrs {
		wg.Go(func() {
			ok := false
			if req, err := http.NewRequestWithContext(ctx, http.MethodGet, a+"/healthz", nil); err == nil {
				if resp, err := client.Do(req); err == nil {
					_ = resp.Body.Close()
					ok = resp.StatusCode == http.StatusOK
				}
			}
			mu.Lock()
			out[a] = ok
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}
