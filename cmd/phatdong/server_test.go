package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/protocol/protocoltest"
)

const (
	testToken = "operator-token-e2e"
	testKey   = "button-key-e2e-123"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func testConfig(t *testing.T, db string) Config {
	t.Helper()
	return Config{Addr: "127.0.0.1:0", DB: db, OperatorToken: testToken, ButtonKey: testKey}
}

// running is a Server serving in the background.
type running struct {
	*Server
	cancel context.CancelFunc
	done   chan error
	runErr error // what Run returned, after stop
}

func start(t *testing.T, cfg Config) *running {
	t.Helper()
	return startLogged(t, cfg, quiet)
}

// startLogged is start with the server's log going to log.
func startLogged(t *testing.T, cfg Config, log *slog.Logger) *running {
	t.Helper()
	s, err := Open(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Server: s, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

// stop shuts the server down and closes its store; it may be called twice.
func (r *running) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.runErr = <-r.done
	r.Close()
	r.cancel = nil
}

func (r *running) url(path string) string { return "http://" + r.Addr().String() + path }

func call(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	code, data, err := tryCall(method, url, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return code, data
}

// tryCall is one HTTP call, safe to use from any goroutine.
func tryCall(method, url, token, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func TestServerServesAndShutsDown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	r := start(t, testConfig(t, db))
	var banner bytes.Buffer
	r.PrintBanner(&banner)
	for _, want := range []string{
		r.url("/mc#token=" + testToken), r.url("/button#key=" + testKey + "&button=nut-1"), r.url("/stage"),
		"Mã quản trị (operator token): " + testToken, "Khoá nút bấm dùng chung (kiểu cũ): " + testKey,
	} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}
	if code, body := call(t, "GET", r.url("/healthz"), "", ""); code != 200 {
		t.Fatalf("healthz: %d %s", code, body)
	}
	if code, body := call(t, "GET", r.url("/stage"), "", ""); code != 200 || !bytes.Contains(body, []byte("<")) {
		t.Fatalf("stage page: %d", code)
	}
	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"next"}`); code != 200 {
		t.Fatalf("next: %d %s", code, body)
	}
	r.stop()
	if r.runErr != nil {
		t.Errorf("a graceful shutdown returned %v", r.runErr)
	}
}

func TestSecretsAreGeneratedOnceAndKept(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	cfg := testConfig(t, db)
	cfg.OperatorToken, cfg.ButtonKey = "", ""
	s, err := Open(cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	op := s.operatorToken
	if len(op) < minSecretLen || s.buttonKey != "" {
		t.Fatalf("a new database: operator token %q, shared button key %q (want none)", op, s.buttonKey)
	}
	var banner bytes.Buffer
	s.PrintBanner(&banner)
	if strings.Contains(banner.String(), "Khoá nút bấm dùng chung") || !strings.Contains(banner.String(), "/edit (Thiết bị và khoá)") {
		t.Errorf("the banner of a new database:\n%s", banner.String())
	}
	s.Close()
	if s, err = Open(cfg, quiet); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.operatorToken != op || s.buttonKey != "" {
		t.Error("the secrets changed across a restart")
	}
}

// A database from before keys per device keeps its shared button key: it
// opens, as one button, until the administrator revokes it; then it is
// gone for good, a restart included.
func TestSharedButtonKeyOfAnOlderDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	old, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SetSecret(secretButton, "an-old-shared-key-0123456789"); err != nil {
		t.Fatal(err)
	}
	old.Close()
	cfg := testConfig(t, db)
	cfg.ButtonKey = ""
	r := start(t, cfg)
	press := `{"button":"nut-9","pressId":"p1"}`
	if code, body := call(t, "POST", r.url("/api/v1/press"), "an-old-shared-key-0123456789", press); code != 409 || !strings.Contains(string(body), "not_armed") {
		t.Fatalf("a press with the old shared key: %d %s (want it heard, and refused as not armed)", code, body)
	}
	if code, body := call(t, "DELETE", r.url("/api/v1/credentials/shared-button-key"), testToken, ""); code != 200 {
		t.Fatalf("revoking the shared key: %d %s", code, body)
	}
	if code, _ := call(t, "POST", r.url("/api/v1/press"), "an-old-shared-key-0123456789", press); code != 401 {
		t.Fatalf("a press with the revoked shared key: %d, want 401", code)
	}
	r.stop()
	again := start(t, cfg)
	if again.buttonKey != "" {
		t.Fatalf("the revoked shared key came back after a restart: %q", again.buttonKey)
	}
}

func TestSecondServerOnTheSameDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	start(t, testConfig(t, db))
	_, err := Open(testConfig(t, db), quiet)
	var locked *dbLockedError
	if !errors.As(err, &locked) || !errors.Is(err, bolt.ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
	if want := "the database " + db + " is in use by another running server"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

const showA = `{"format":"phatdong-show","version":1,"title":"Lễ tổng duyệt A","segments":[
 {"id":"mo-dau","title":"Mở đầu","kind":"speech","durationSec":300},
 {"id":"bam-nut","title":"Bấm nút","kind":"launch","durationSec":120}]}`

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestShowFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	cfg := testConfig(t, db)

	cfg.ShowFile = writeFile(t, "bad.json", strings.Replace(showA, `"id":"bam-nut"`, `"id":"mo-dau"`, 1))
	if _, err := Open(cfg, quiet); err == nil || !strings.Contains(err.Error(), "segments[1].id") {
		t.Fatalf("a show with duplicate ids: %v", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Error("a bad show file still created the database")
	}

	cfg.ShowFile = writeFile(t, "a.json", showA)
	r := start(t, cfg)
	title := func() string {
		_, body := call(t, "GET", r.url("/api/v1/state"), "", "")
		var sb display.StateBody
		if err := json.Unmarshal(body, &sb); err != nil {
			t.Fatal(err)
		}
		return sb.State.Show.Title
	}
	if got := title(); got != "Lễ tổng duyệt A" {
		t.Fatalf("title %q", got)
	}
	call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"start"}`)
	r.stop()

	// While a segment runs a restart with another show keeps the saved one.
	cfg.ShowFile = writeFile(t, "b.json", strings.Replace(showA, "Lễ tổng duyệt A", "Lễ tổng duyệt B", 1))
	r = start(t, cfg)
	if got := title(); got != "Lễ tổng duyệt A" {
		t.Fatalf("the running show was replaced on restart: %q", got)
	}
	call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"pause"}`)
	r.stop()

	// Paused, the new show is put in use.
	r = start(t, cfg)
	if got := title(); got != "Lễ tổng duyệt B" {
		t.Fatalf("title %q after a restart with a new show", got)
	}
}

func TestWebsocketIsMountedAndClosedOnShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "phatdong.db")
	r := start(t, testConfig(t, db))
	c := protocoltest.Dial(t, "ws://"+r.Addr().String()+"/ws", protocoltest.Stage("Màn LED chính"))
	c.Until(protocol.TypeState)
	if code, body := call(t, "POST", r.url("/api/v1/commands"), testToken, `{"type":"message","text":"Xin chào"}`); code != 200 {
		t.Fatalf("message: %d %s", code, body)
	}
	var st protocol.StateMsg
	c.Until(protocol.TypeState).Decode(t, &st)
	if st.State.Message.Text != "Xin chào" {
		t.Errorf("the socket did not get the new state: %+v", st.State)
	}
	r.stop()
	c.WS.SetReadDeadline(time.Now().Add(protocoltest.Wait))
	for {
		if _, _, err := c.WS.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Errorf("closed with %v, want going away", err)
			}
			break
		}
	}
}
