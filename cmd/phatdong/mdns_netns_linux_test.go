//go:build linux

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// buttonsRE reads the connected buttons from /metrics.
var buttonsRE = regexp.MustCompile(`(?m)^phatdong_ws_clients\{role="button"\} (\d+)`)

// TestNetnsTheAgentFindsTheServerByName: the server runs in P and
// advertises itself; the real agent in C, with server = auto and no
// address, browses over the veth link between them, finds it, connects
// and is counted by the server as a button. `phatdong-button discover
// --primary`, as the kiosk script runs it, prints the address C reaches
// the server at (P has two; the one on C's link comes first).
func TestNetnsTheAgentFindsTheServerByName(t *testing.T) {
	n := newNet(t)
	p := n.launchIn('P', filepath.Join(t.TempDir(), "p.db"))
	if lines := p.printed(t, regexp.MustCompile(`Theo tên \(mDNS, cùng mạng LAN\): (http://\S+\.local:8080)`)); lines == nil {
		t.Fatal("the banner prints no .local URL")
	}

	agentBinary(t) // built before the clock starts
	began := time.Now()
	out, err := exec.Command("ip", "netns", "exec", n.ns['C'], agentBinary(t), "discover", "--primary", "--timeout", "3s").CombinedOutput()
	if err != nil {
		t.Fatalf("discover: %v: %s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "http://"+primaryAddr+":"+serverPort; got != want {
		t.Fatalf("discover --primary printed %q, want %q", got, want)
	}

	t.Logf("discover --primary (up to 3 s) took %s", time.Since(began).Round(time.Millisecond))
	cmd := exec.Command("ip", "netns", "exec", n.ns['C'], agentBinary(t), "--simulate")
	cmd.Env = append(os.Environ(), "PHATDONG_SERVER=auto", "PHATDONG_SERVER_FALLBACK=ws://192.0.2.1:8080/ws",
		"PHATDONG_BUTTON_KEY="+testKey, "PHATDONG_BUTTON_ID=nut-1", "PHATDONG_BUTTON_NAME=Nút Chủ tịch")
	log := &lockedBuffer{}
	cmd.Stderr = log
	if _, err := cmd.StdinPipe(); err != nil { // an open stdin: no press, no end of input
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the agent: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	began = time.Now()
	waitFor(t, 20*time.Second, "the server counts the discovered button", func() bool {
		code, body := p.call("GET", "/metrics", "", "")
		m := buttonsRE.FindSubmatch(body)
		return code == 200 && m != nil && string(m[1]) == "1"
	})
	t.Logf("from the agent's start (server = auto) to the server counting it: %s", time.Since(began).Round(time.Millisecond))
	if s := log.String(); !strings.Contains(s, "found the server") || !strings.Contains(s, "ws://"+primaryAddr+":"+serverPort+"/ws") {
		t.Errorf("the agent's log does not say it found the server at %s:\n%s", primaryAddr, s)
	}
	// `phatdong doctor --server auto --press`, run in C, finds the server,
	// reaches it on the shared link only, sees the button, and in
	// rehearsal its test press reaches the real agent's LED. The stage
	// screen is missing: exit 1.
	if code, body := p.call("POST", "/api/v1/commands", testToken, `{"type":"rehearsal","on":true}`); code != 200 {
		t.Fatalf("rehearsal on: %d %s", code, body)
	}
	doctor := exec.Command("ip", "netns", "exec", n.ns['C'], binary(t), "doctor", "--server", "auto", "--token", testToken, "--press")
	report, err := doctor.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("doctor: %v, want exit 1:\n%s", err, report)
	}
	for _, want := range []string{
		"Kiểm tra trước buổi lễ: http://" + primaryAddr + ":" + serverPort,
		"http://" + primaryAddr + ":" + serverPort + " (đến được từ máy này)",
		"http://" + primaryToPeer + ":" + serverPort + " (không đến được từ máy này)",
		"✘ Chưa có màn hình sân khấu nào kết nối",
		"✔ Nút bấm «nut-1» (10.77.2.2)",
		"✔ Đã gửi lệnh thử tới 1 nút",
	} {
		if !strings.Contains(string(report), want) {
			t.Errorf("the doctor's report lacks %q:\n%s", want, report)
		}
	}
	t.Logf("phatdong doctor in C:\n%s", report)
	waitFor(t, 10*time.Second, "the agent's LED test flash", func() bool { return strings.Contains(log.String(), "led test flash") })
}

// lockedBuffer collects a process's output, safe to read while it writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
