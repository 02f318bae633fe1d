package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
)

// The real binary, built once for the tests of this file.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	maybeForward() // the namespace tests run this binary as their forwarder
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "phatdong-bin-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "phatdong")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// proc is the server binary running as a subprocess.
type proc struct {
	cmd    *exec.Cmd
	base   string       // http://127.0.0.1:port
	client *http.Client // nil: http.DefaultClient (a namespaced server sets its own)
	done   chan struct{}

	mu  sync.Mutex
	out []string // the lines it printed
}

var baseRE = regexp.MustCompile(`http://(127\.0\.0\.1|localhost):\d+`)

// launch starts the binary on a free loopback port and waits for its
// banner. Fixed tokens come from flags.
func launch(t testing.TB, db string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"--addr", "127.0.0.1:0", "--nats-addr", "127.0.0.1:0", "--leaf-port", "0"}, serverArgs(db, extra...)...)
	return startProc(t, exec.Command(binary(t), args...))
}

// serverArgs are the flags every test server gets: its database, the
// fixed tokens, warnings only; then extra.
func serverArgs(db string, extra ...string) []string {
	return append([]string{"--db", db, "--operator-token", testToken, "--button-key", testKey, "--log-level", "warn"}, extra...)
}

// startProc starts a server command and waits for the first address of
// its banner.
func startProc(t testing.TB, cmd *exec.Cmd) *proc {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.out = append(p.out, sc.Text())
			p.mu.Unlock()
			if m := baseRE.FindString(sc.Text()); m != "" {
				select {
				case found <- m:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill(t) })
	select {
	case p.base = <-found:
	case <-p.done:
		t.Fatal("the server exited before it printed its address")
	case <-time.After(30 * time.Second): // a hang guard, not a speed figure
		t.Fatal("the server printed no address")
	}
	return p
}

// printed waits for a line of the banner matching re (printed at once
// after the address) and returns its submatches.
func (p *proc) printed(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // a hang guard
	for time.Now().Before(deadline) {
		p.mu.Lock()
		for _, line := range p.out {
			if m := re.FindStringSubmatch(line); m != nil {
				p.mu.Unlock()
				return m
			}
		}
		p.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the server printed no line matching %s", re)
	return nil
}

// kill is kill -9.
func (p *proc) kill(t testing.TB) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("kill: %v", err)
	}
	<-p.done
}

// call is an HTTP call to path; code 0 when the server cannot be reached.
func (p *proc) call(method, path, token, body string) (int, []byte) {
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := p.client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func (p *proc) state(t testing.TB) display.StateBody {
	t.Helper()
	code, body := p.call("GET", "/api/v1/state", "", "")
	if code != 200 {
		t.Fatalf("state: %d %s", code, body)
	}
	var sb display.StateBody
	if err := json.Unmarshal(body, &sb); err != nil {
		t.Fatal(err)
	}
	return sb
}

// must posts body and fails the test unless it is accepted. Over the
// API's rate (429) it waits for a token and tries again.
func (p *proc) must(t testing.TB, path, token, body string) display.StateBody {
	t.Helper()
	code, data := p.call("POST", path, token, body)
	for code == http.StatusTooManyRequests {
		time.Sleep(50 * time.Millisecond) // a token comes back every 50 ms
		code, data = p.call("POST", path, token, body)
	}
	if code != 200 {
		t.Fatalf("%s %s: %d %s", path, body, code, data)
	}
	var sb display.StateBody
	if err := json.Unmarshal(data, &sb); err != nil {
		t.Fatal(err)
	}
	return sb
}

func TestKill9ResumesEverything(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	p := launch(t, db)
	p.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"phat-bieu-chi-dao"}`)
	p.must(t, "/api/v1/commands", testToken, `{"type":"start"}`)
	p.must(t, "/api/v1/commands", testToken, `{"type":"add-time","seconds":60}`)
	p.must(t, "/api/v1/commands", testToken, `{"type":"message","text":"Còn 2 phút, xin đồng chí chuẩn bị kết thúc"}`)
	p.must(t, "/api/v1/commands", testToken, `{"type":"goto","segment":"bam-nut-phat-dong"}`)
	p.must(t, "/api/v1/commands", testToken, `{"type":"arm"}`)
	fired := p.must(t, "/api/v1/press", testKey, `{"button":"nut-1","name":"Nút Chủ tịch","pressId":"p-1"}`)
	if fired.Answer.Outcome != "fired" || fired.State.Launch.FireID == "" {
		t.Fatalf("press did not fire: %+v", fired)
	}
	before := p.state(t)

	p.kill(t)
	p = launch(t, db)
	after := p.state(t)
	// The plan is read off the clock at each answer (projected starts move
	// with time), not stored: everything else must be as it was.
	before.State.Plan, after.State.Plan = nil, nil
	if !reflect.DeepEqual(before.State, after.State) {
		t.Fatalf("state changed across kill -9:\nbefore %+v\n after %+v", before.State, after.State)
	}
	if after.State.Current.ID != "bam-nut-phat-dong" || after.State.Timer.Phase != "running" ||
		after.State.Launch.FireID != fired.State.Launch.FireID || after.State.Timer.StartedAt != fired.State.Timer.StartedAt {
		t.Fatalf("resumed state: %+v", after.State)
	}

	code, body := call(t, "POST", p.base+"/api/v1/commands", testToken, `{"type":"fire"}`)
	if code != 409 || !strings.Contains(string(body), `"code":"duplicate"`) {
		t.Errorf("second fire: %d %s", code, body)
	}
	code, body = call(t, "POST", p.base+"/api/v1/press", testKey, `{"button":"nut-2","pressId":"p-2"}`)
	if code != 409 || !strings.Contains(string(body), `"code":"duplicate"`) {
		t.Errorf("press after the fire: %d %s", code, body)
	}
	code, body = call(t, "GET", p.base+"/api/v1/report?format=csv", "", "")
	if code != 200 || !strings.HasPrefix(string(body), "\uFEFF") || !strings.Contains(string(body), "Đã phát động") {
		t.Errorf("report: %d %.200s", code, body)
	}

	// A second server on the same database exits at once with a clear line.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
	defer cancel()
	out, err := exec.CommandContext(ctx, binary(t), "--addr", "127.0.0.1:0", "--nats-addr", "off", "--db", db).CombinedOutput()
	want := "phatdong: the database " + db + " is in use by another running server\n"
	if err == nil || ctx.Err() != nil || string(out) != want {
		t.Errorf("second server: err %v, output %q, want %q", err, out, want)
	}

	// SIGTERM shuts down gracefully (exit status 0).
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.done
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit status %d after SIGTERM", code)
	}
}

// TestKill9MidStream kills the server while commands are in flight: every
// command that was answered must be there after the restart.
func TestKill9MidStream(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	p := launch(t, db)
	type ack struct {
		id  string
		seq uint64
	}
	var mu sync.Mutex
	var acks []ack
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("w%d-%d", w, i)
				code, body, err := tryCall("POST", p.base+"/api/v1/commands", testToken, `{"type":"message","text":"tin `+id+`","id":"`+id+`"}`)
				if err == nil && code == http.StatusTooManyRequests {
					time.Sleep(50 * time.Millisecond) // over the API's rate: a token comes back every 50 ms
					continue
				}
				if err != nil || code != 200 {
					return // the server is gone
				}
				var sb display.StateBody
				if json.Unmarshal(body, &sb) == nil && sb.Answer != nil {
					mu.Lock()
					acks = append(acks, ack{id, sb.Answer.Seq})
					mu.Unlock()
				}
			}
		})
	}
	for count() < 60 {
		time.Sleep(5 * time.Millisecond)
	}
	p.kill(t)
	wg.Wait()

	p = launch(t, db)
	st := p.state(t).State
	for _, a := range acks {
		sb := p.must(t, "/api/v1/commands", testToken, `{"type":"message","text":"tin `+a.id+`","id":"`+a.id+`"}`)
		if sb.Answer.Seq != a.seq {
			t.Errorf("command %s was answered seq %d before the kill, %d after", a.id, a.seq, sb.Answer.Seq)
		}
		if a.seq > st.Seq {
			t.Errorf("command %s was acknowledged at seq %d but the restarted state is at %d", a.id, a.seq, st.Seq)
		}
	}
	t.Logf("all %d acknowledged commands survived kill -9 (state seq %d)", len(acks), st.Seq)
}

func TestBinaryRefusesABadShow(t *testing.T) {
	bad := writeFile(t, "bad.json", strings.Replace(showA, `"durationSec":300`, `"durationSec":-5`, 1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hang guard
	defer cancel()
	db := filepath.Join(t.TempDir(), "phatdong.db")
	out, err := exec.CommandContext(ctx, binary(t), "--addr", "127.0.0.1:0", "--nats-addr", "off", "--db", db, "--show", bad).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v", err)
	}
	line := strings.TrimSpace(string(out))
	if !strings.HasPrefix(line, "phatdong: show file "+bad+": ") || !strings.Contains(line, "segments[0].durationSec") || strings.Count(line, "\n") != 0 {
		t.Errorf("output %q", out)
	}
}
