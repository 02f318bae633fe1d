package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/phatdong/phatdong/controller/bolt"
	"github.com/phatdong/phatdong/display"
)

func noEnv(string) string { return "" }

// backup runs `phatdong backup args...` in-process.
func backup(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := runBackupCommand(args, noEnv, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestBackupFromARunningServerWhileCommandsFlow(t *testing.T) {
	dir := t.TempDir()
	r := start(t, testConfig(t, filepath.Join(dir, "phatdong.db")))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			cmd := `{"type":"next"}`
			if i%2 == 1 {
				cmd = `{"type":"previous"}`
			}
			if code, body, err := tryCall("POST", r.url("/api/v1/commands"), testToken, cmd); err != nil || code != 200 {
				t.Errorf("%s: %d %s %v", cmd, code, body, err)
				return
			}
		}
	}()
	out := filepath.Join(dir, "copy.db")
	for i := 0; i < 5; i++ {
		acked := r.engine.Snapshot().State.Seq
		msg, err := backup("--server", "http://"+r.Addr().String(), "--token", testToken, "--force", out)
		if err != nil {
			t.Fatalf("backup %d: %v\n%s", i, err, msg)
		}
		v, err := bolt.Verify(out)
		if err != nil {
			t.Fatal(err)
		}
		if v.Seq < acked {
			t.Fatalf("backup %d holds seq %d; %d was acknowledged before it began", i, v.Seq, acked)
		}
		if !strings.Contains(msg, "Đã sao lưu vào "+out) {
			t.Errorf("backup printed %q", msg)
		}
	}
	close(stop)
	wg.Wait()
	final := r.engine.Snapshot().State.Seq
	if _, err := backup("--server", "http://"+r.Addr().String(), "--token", testToken, "--force", out); err != nil {
		t.Fatal(err)
	}
	r.stop()
	// The copy runs as a server's database and resumes the last
	// acknowledged command.
	again := start(t, testConfig(t, out))
	if got := again.engine.Snapshot().State.Seq; got != final {
		t.Fatalf("a server on the copy is at seq %d, want %d", got, final)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".copy.db.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "phatdong.db")
	r := start(t, testConfig(t, db))
	server := "http://" + r.Addr().String()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("yesterday's copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	operatorCred := newOperatorCredential(t, r)
	for _, tc := range []struct {
		name string
		args []string
		out  string // the file the call names: must be as before
		want string
	}{
		{"wrong token", []string{"--server", server, "--token", "not-the-right-token", filepath.Join(dir, "a.db")}, filepath.Join(dir, "a.db"), "refused the token"},
		{"an operator credential", []string{"--server", server, "--token", operatorCred, filepath.Join(dir, "b.db")}, filepath.Join(dir, "b.db"), "only the administrator"},
		{"existing file", []string{"--server", server, "--token", testToken, existing}, existing, "--force"},
		{"the server's own locked file", []string{"--db", db, filepath.Join(dir, "c.db")}, filepath.Join(dir, "c.db"), "--server URL --token T"},
		{"no source", []string{filepath.Join(dir, "d.db")}, filepath.Join(dir, "d.db"), "give --server"},
		{"both sources", []string{"--server", server, "--token", testToken, "--db", db, filepath.Join(dir, "e.db")}, filepath.Join(dir, "e.db"), "not both"},
		{"no token", []string{"--server", server, filepath.Join(dir, "f.db")}, filepath.Join(dir, "f.db"), "--token"},
		{"not a URL", []string{"--server", "127.0.0.1:8080", "--token", testToken, filepath.Join(dir, "g.db")}, filepath.Join(dir, "g.db"), "not an http(s) URL"},
		{"missing database", []string{"--db", filepath.Join(dir, "absent.db"), filepath.Join(dir, "h.db")}, filepath.Join(dir, "h.db"), "no such file"},
		{"no output", []string{"--db", db}, "", "one output file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before []byte
			if tc.out != "" {
				before, _ = os.ReadFile(tc.out)
			}
			_, err := backup(tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one that says %q", err, tc.want)
			}
			if tc.out != "" {
				after, _ := os.ReadFile(tc.out)
				if !bytes.Equal(before, after) {
					t.Errorf("%s changed", tc.out)
				}
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A stopped server's file backs up with --db.
	r.stop()
	out := filepath.Join(dir, "offline.db")
	if _, err := backup("--db", db, out); err != nil {
		t.Fatal(err)
	}
	if _, err := bolt.Verify(out); err != nil {
		t.Fatal(err)
	}
}

// newOperatorCredential makes an operator device's credential (not the
// administrator's token) on r.
func newOperatorCredential(t *testing.T, r *running) string {
	t.Helper()
	code, body := call(t, "POST", r.url("/api/v1/credentials"), testToken, `{"kind":"operator","label":"iPad"}`)
	if code != 201 && code != 200 {
		t.Fatalf("create a credential: %d %s", code, body)
	}
	var created display.CreatedCredentialBody
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	return created.Secret
}
