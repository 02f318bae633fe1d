package bolt_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/controller/bolt"
)

func openStore(t *testing.T, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestEngineStateSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.db")
	store := openStore(t, path)
	e := openEngine(t, store, nil)
	op := controller.Actor{Role: "operator"}
	for _, c := range []controller.Command{
		{Type: controller.CmdGoto, Segment: "bam-nut-phat-dong"},
		{Type: controller.CmdStart},
		{Type: controller.CmdArm},
		{Type: controller.CmdFire, ID: "fire-1"},
	} {
		if _, err := e.Execute(c, op); err != nil {
			t.Fatalf("%s: %v", c.Type, err)
		}
	}
	want := e.Snapshot().State
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store2 := openStore(t, path)
	e2 := openEngine(t, store2, nil)
	got := e2.Snapshot().State
	if got.Seq != want.Seq || got.Current != want.Current || got.Timer != want.Timer || got.Launch.FireID != want.Launch.FireID || got.Launch.Phase != controller.LaunchFired {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, want)
	}
	if _, err := e2.Execute(controller.Command{Type: controller.CmdFire}, op); controller.ErrorCode(err) != controller.EDUPLICATE {
		t.Fatalf("second fire after restart: %v, want duplicate", err)
	}
	if r, err := e2.Execute(controller.Command{Type: controller.CmdFire, ID: "fire-1"}, op); err != nil || r.Answer.Outcome != controller.OutcomeFired {
		t.Fatalf("retry of the first fire after restart: %+v %v, want its first answer", r.Answer, err)
	}
	var n, refused int
	if err := store2.Entries(func(e controller.Entry) error {
		n++
		if !e.Answer.Accepted() {
			refused++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 6 || refused != 1 {
		t.Fatalf("journal has %d entries (%d refused), want 6 (1 refused)", n, refused)
	}
}

func TestOpenLockedFileFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.db")
	openStore(t, path)
	start := time.Now()
	_, err := bolt.Open(path)
	if !errors.Is(err, bolt.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("second open hung for %v", waited)
	}
}

func TestOpenRefusesNewerFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("version"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := bolt.Open(path); err == nil {
		t.Fatal("a store of a newer format was opened")
	}
}

func TestSecretIsGeneratedOnce(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "show.db"))
	calls := 0
	gen := func() (string, error) { calls++; return "tok-1", nil }
	a, err := s.Secret("operator", gen)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Secret("operator", gen)
	if err != nil || a != b || calls != 1 {
		t.Fatalf("secret %q then %q after %d generations", a, b, calls)
	}
}

func TestSecretsCanBeLookedUpAndForgotten(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "show.db"))
	if v, err := s.LookupSecret("button-key"); err != nil || v != "" {
		t.Fatalf("a missing secret: %q, %v", v, err)
	}
	if err := s.SetSecret("button-key", "old"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.LookupSecret("button-key"); err != nil || v != "old" {
		t.Fatalf("a stored secret: %q, %v", v, err)
	}
	if err := s.DeleteSecret("button-key"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.LookupSecret("button-key"); err != nil || v != "" {
		t.Fatalf("a forgotten secret: %q, %v", v, err)
	}
}

func TestCredentialsSurviveReopening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "show.db")
	s := openStore(t, path)
	for id, rec := range map[string]string{"k1": `{"id":"k1"}`, "k2": `{"id":"k2"}`} {
		if err := s.PutCredential(id, []byte(rec)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutCredential("k1", []byte(`{"id":"k1","revokedAt":5}`)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openStore(t, path)
	recs, err := s.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range recs {
		got[string(r)] = true
	}
	if len(recs) != 2 || !got[`{"id":"k1","revokedAt":5}`] || !got[`{"id":"k2"}`] {
		t.Fatalf("after reopening: %q", recs)
	}
}
