package access

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// server is one side of a pair in these tests: its registry, store and
// the ids OnRevoke was told of.
type server struct {
	reg   *Registry
	store *memStore
	told  []string
	log   bytes.Buffer
}

func newServer(t *testing.T, id, admin, shared string, store *memStore) *server {
	t.Helper()
	if store == nil {
		store = &memStore{records: map[string][]byte{}}
	}
	clock := &fakeClock{t: time.UnixMilli(2_000_000)}
	s := &server{store: store}
	reg, err := Open(Options{Store: store, Admin: admin, Shared: shared, ServerID: id, Now: clock.now,
		Log: slog.New(slog.NewTextHandler(&s.log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.reg = reg
	reg.OnRevoke(func(c Credential) { s.told = append(s.told, c.ID) })
	return s
}

// follow makes to import from's credentials and returns from's version.
func follow(t *testing.T, to, from *server) string {
	t.Helper()
	version, data, err := from.reg.Export()
	if err != nil {
		t.Fatal(err)
	}
	if err := to.reg.Import(data); err != nil {
		t.Fatal(err)
	}
	return version
}

func version(t *testing.T, s *server) string {
	t.Helper()
	v, _, err := s.reg.Export()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustCreate(t *testing.T, s *server, kind Kind, label, button string) (Credential, string) {
	t.Helper()
	c, secret, err := s.reg.Create(kind, label, button)
	if err != nil {
		t.Fatal(err)
	}
	return c, secret
}

// opens reports who secret opens as on s, "" for nobody.
func opens(s *server, secret string) string {
	id, ok := s.reg.Identify(secret, "10.0.0.1")
	if !ok {
		return ""
	}
	return id.ID
}

func TestImportMakesThePrimarysCredentialsWork(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	b := newServer(t, "B", "token-B", "", nil)
	btn, btnKey := mustCreate(t, a, KindButton, "Nút 1 – Chủ tịch", "nut-1")
	mc, mcToken := mustCreate(t, a, KindOperator, "iPad MC", "")
	follow(t, b, a)

	for _, tc := range []struct{ what, secret, want string }{
		{"A's administrator", "token-A", AdminIDOf("A")},
		{"A's button key", btnKey, btn.ID},
		{"A's MC tablet", mcToken, mc.ID},
		{"B's own administrator", "token-B", AdminID},
		{"a wrong secret", "token-C", ""},
	} {
		if got := opens(b, tc.secret); got != tc.want {
			t.Errorf("%s opens on B as %q, want %q", tc.what, got, tc.want)
		}
	}
	if id, _ := b.reg.Identify(btnKey, "x"); id.Button != "nut-1" || id.Kind != KindButton || id.Label != btn.Label {
		t.Errorf("A's button key on B: %+v", id)
	}
	if id, _ := b.reg.Identify("token-A", "x"); !id.Admin || id.Kind != KindOperator {
		t.Errorf("A's administrator on B: %+v", id)
	}
	// B's last uses are its own: they are not exported back.
	_, data, _ := b.reg.Export()
	if strings.Contains(string(data), "lastUsedAt") || strings.Contains(string(data), "10.0.0.1") {
		t.Errorf("B exports last uses: %s", data)
	}
}

func TestRevokeOnThePrimaryShutsTheStandbyOnce(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	b := newServer(t, "B", "token-B", "", nil)
	btn, btnKey := mustCreate(t, a, KindButton, "Nút 2", "nut-2")
	follow(t, b, a)
	if _, err := a.reg.Revoke(btn.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, b, a)
	if opens(b, btnKey) != "" || b.reg.Opens(btn.ID) {
		t.Fatal("a key revoked on the primary still opens on the standby")
	}
	if !slices.Equal(b.told, []string{btn.ID}) {
		t.Fatalf("B's listeners told %v, want [%s]", b.told, btn.ID)
	}

	// The same records again change nothing, and tell nobody.
	before, puts := version(t, b), b.store.puts
	follow(t, b, a)
	if after := version(t, b); after != before || b.store.puts != puts || len(b.told) != 1 {
		t.Fatalf("a second import changed B: version %s → %s, %d writes, told %v", before, after, b.store.puts-puts, b.told)
	}
}

func TestRevokedOnTheStandbyStaysRevoked(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	b := newServer(t, "B", "token-B", "", nil)
	btn, btnKey := mustCreate(t, a, KindButton, "Nút 3", "nut-3")
	follow(t, b, a)
	if _, err := b.reg.Revoke(btn.ID); err != nil {
		t.Fatal(err)
	}
	b.told = nil
	follow(t, b, a) // A still shows it live
	if opens(b, btnKey) != "" || b.reg.Opens(btn.ID) || len(b.told) != 0 {
		t.Fatalf("a key revoked on B was revived by A's export (opens %q, told %v)", opens(b, btnKey), b.told)
	}
	if opens(a, btnKey) != btn.ID {
		t.Fatal("B's revocation reached A through B's import")
	}
}

func TestImportFollowsLabelsAndTheAdministratorsToken(t *testing.T) {
	storeA := &memStore{records: map[string][]byte{}}
	a := newServer(t, "A", "token-A", "", storeA)
	b := newServer(t, "B", "token-B", "", nil)
	btn, _ := mustCreate(t, a, KindButton, "Nút 4", "nut-4")
	follow(t, b, a)

	// A's record is relabelled (by hand here: there is no API for it yet),
	// then A restarts with another administrator's token.
	var e entry
	if err := json.Unmarshal(storeA.records[btn.ID], &e); err != nil {
		t.Fatal(err)
	}
	e.Label = "Nút 4 – Phó chủ tịch"
	data, _ := json.Marshal(&e)
	storeA.records[btn.ID] = data
	a = newServer(t, "A", "token-A2", "", storeA)
	follow(t, b, a)

	if l := listed(b, btn.ID).Label; l != "Nút 4 – Phó chủ tịch" {
		t.Errorf("the label on B is %q", l)
	}
	if opens(b, "token-A") != "" || opens(b, "token-A2") != AdminIDOf("A") {
		t.Errorf("A's administrator's token on B: old opens as %q, new as %q", opens(b, "token-A"), opens(b, "token-A2"))
	}
	if !slices.Equal(b.told, []string{AdminIDOf("A")}) {
		t.Errorf("B's listeners told %v when A's token changed", b.told)
	}
}

func listed(s *server, id string) Credential {
	for _, c := range s.reg.List() {
		if c.ID == id {
			return c
		}
	}
	return Credential{}
}

func TestImportRefusesBadRecordsWhole(t *testing.T) {
	good := `{"id":"k01","kind":"operator","label":"iPad","digest":"` + b64(32) + `"}`
	for _, tc := range []struct{ name, bad string }{
		{"not JSON", `{`},
		{"short digest", `{"id":"k02","kind":"button","label":"Nút","button":"n","digest":"` + b64(8) + `"}`},
		{"no digest", `{"id":"k02","kind":"operator","label":"iPad"}`},
		{"empty id", `{"id":"","kind":"operator","label":"iPad","digest":"` + b64(32) + `"}`},
		{"unknown kind", `{"id":"k02","kind":"admin","label":"iPad","digest":"` + b64(32) + `"}`},
		{"no label", `{"id":"k02","kind":"operator","label":"","digest":"` + b64(32) + `"}`},
		{"button without id", `{"id":"k02","kind":"button","label":"Nút","digest":"` + b64(32) + `"}`},
		{"operator with a button", `{"id":"k02","kind":"operator","label":"iPad","button":"n","digest":"` + b64(32) + `"}`},
		{"the shared button taken", `{"id":"k02","kind":"button","label":"Nút","button":"shared-key","digest":"` + b64(32) + `"}`},
		{"shared key without its flag", `{"id":"shared-button-key","kind":"button","label":"Khoá","button":"shared-key","digest":"` + b64(32) + `"}`},
		{"shared flag on another id", `{"id":"k02","kind":"button","label":"Nút","button":"n","shared":true,"digest":"` + b64(32) + `"}`},
		{"admin flag on another id", `{"id":"k02","kind":"operator","label":"iPad","admin":true,"digest":"` + b64(32) + `"}`},
		{"administrator revoked", `{"id":"admin@C","kind":"operator","label":"QTV","admin":true,"revokedAt":5,"digest":"` + b64(32) + `"}`},
		{"id twice", good},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newServer(t, "B", "token-B", "", nil)
			before, puts, n := version(t, b), b.store.puts, len(b.reg.List())
			err := b.reg.Import([]byte("[" + good + "," + tc.bad + "]"))
			if err == nil {
				t.Fatal("the import was accepted")
			}
			if !strings.HasPrefix(err.Error(), "access: import") {
				t.Errorf("unclear error: %v", err)
			}
			if version(t, b) != before || b.store.puts != puts || len(b.reg.List()) != n || b.reg.Opens("k01") {
				t.Fatalf("a refused import changed B: %d writes, %d listed", b.store.puts-puts, len(b.reg.List()))
			}
		})
	}
}

// b64 is n bytes in base64, as JSON encodes a digest.
func b64(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }

func TestVersionChangesWithTheCredentialsNotTheirUse(t *testing.T) {
	clock := &fakeClock{t: time.UnixMilli(3_000_000)}
	reg, err := Open(Options{Store: &memStore{records: map[string][]byte{}}, Admin: "token-A", ServerID: "A", Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	v0, _, _ := reg.Export()
	c, secret, _ := reg.Create(KindButton, "Nút 5", "nut-5")
	v1, _, _ := reg.Export()
	for range 3 {
		clock.t = clock.t.Add(2 * lastUseEvery) // each use is written to the store
		reg.Identify(secret, "10.0.0.5")
		reg.Identify("token-A", "10.0.0.6")
	}
	v2, _, _ := reg.Export()
	_, _ = reg.Revoke(c.ID)
	v3, _, _ := reg.Export()
	if v0 == v1 || v1 != v2 || v2 == v3 || len(v0) != 16 {
		t.Fatalf("versions: empty %s, created %s, used %s, revoked %s", v0, v1, v2, v3)
	}
	// The same credentials give the same version, whatever the order they
	// came in.
	_, _, _ = reg.Create(KindOperator, "iPad MC", "")
	_, data, _ := reg.Export()
	var recs []json.RawMessage
	if err := json.Unmarshal(data, &recs); err != nil || len(recs) != 3 {
		t.Fatalf("A's export: %d records, %v", len(recs), err)
	}
	var got []string
	for _, order := range [][]json.RawMessage{recs, {recs[2], recs[0], recs[1]}} {
		x, err := Open(Options{Admin: "token-X", ServerID: "X"})
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range order {
			if err := x.Import([]byte("[" + string(rec) + "]")); err != nil {
				t.Fatal(err)
			}
		}
		v, _, _ := x.Export()
		got = append(got, v)
	}
	if got[0] != got[1] || got[0] == v3 {
		t.Errorf("X's versions %v (A's %s)", got, v3)
	}
	alone, err := Open(Options{Admin: "token-Y"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := alone.Export(); err == nil {
		t.Error("Export without a server id gave records")
	}
}

func TestTakeoverSendsTheCredentialsBack(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	b := newServer(t, "B", "token-B", "", nil)
	btn, btnKey := mustCreate(t, a, KindButton, "Nút 6", "nut-6")
	follow(t, b, a)
	// B took over: A, now its standby, follows B.
	follow(t, a, b)
	if a.reg.Opens(AdminIDOf("A")) {
		t.Error("A imported its own administrator's token under another id")
	}
	for _, tc := range []struct{ what, secret, want string }{
		{"A's own administrator", "token-A", AdminID},
		{"B's administrator", "token-B", AdminIDOf("B")},
		{"A's button key", btnKey, btn.ID},
	} {
		if got := opens(a, tc.secret); got != tc.want {
			t.Errorf("%s opens on A as %q, want %q", tc.what, got, tc.want)
		}
	}
	// The pair agrees: both export the same records.
	if va, vb := version(t, a), version(t, b); va != vb {
		t.Errorf("after both imported, A's version %s ≠ B's %s", va, vb)
	}
}

func TestImportedCredentialsSurviveARestart(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	store := &memStore{records: map[string][]byte{}}
	b := newServer(t, "B", "token-B", "", store)
	gone, goneKey := mustCreate(t, a, KindButton, "Nút 7", "nut-7")
	_, liveKey := mustCreate(t, a, KindButton, "Nút 8", "nut-8")
	if _, err := a.reg.Revoke(gone.ID); err != nil {
		t.Fatal(err)
	}
	v := follow(t, b, a)
	b = newServer(t, "B", "token-B", "", store)
	if opens(b, "token-A") != AdminIDOf("A") || opens(b, liveKey) == "" || opens(b, goneKey) != "" || opens(b, "token-B") != AdminID {
		t.Fatal("B restarted lost what it imported")
	}
	// B's export has A's records and B's administrator: A's version is A's alone.
	if version(t, b) == v {
		t.Error("B's version equals A's though B has its own administrator")
	}
}

func TestSharedKeyTravelsAndIsRevokedEverywhere(t *testing.T) {
	storeA := &memStore{records: map[string][]byte{}}
	a := newServer(t, "A", "token-A", "old-key", storeA)
	b := newServer(t, "B", "token-B", "", nil)
	follow(t, b, a)
	if id, ok := b.reg.Identify("old-key", "x"); !ok || !id.Shared || id.Button != SharedButton || !b.reg.SharedLive() {
		t.Fatalf("A's shared key on B: %+v %v", id, ok)
	}
	// A standby with a shared key of its own keeps it; A's does not open there.
	c := newServer(t, "C", "token-C", "c-key", nil)
	follow(t, c, a)
	if opens(c, "c-key") != SharedID || opens(c, "old-key") != "" {
		t.Errorf("C's shared key: own %q, A's %q", opens(c, "c-key"), opens(c, "old-key"))
	}
	if !strings.Contains(c.log.String(), "contradicts") {
		t.Errorf("C did not log the two shared keys: %q", c.log.String())
	}

	if _, err := a.reg.Revoke(SharedID); err != nil {
		t.Fatal(err)
	}
	// A restarted without the key still tells B it was revoked.
	a = newServer(t, "A", "token-A", "", storeA)
	follow(t, b, a)
	if opens(b, "old-key") != "" || b.reg.SharedLive() || !slices.Equal(b.told, []string{SharedID}) {
		t.Fatalf("the revoked shared key on B: opens %q, live %v, told %v", opens(b, "old-key"), b.reg.SharedLive(), b.told)
	}
	for _, s := range []*server{a, b} {
		if slices.ContainsFunc(s.reg.List(), func(c Credential) bool { return c.Shared }) {
			t.Errorf("the revoked shared key is listed: %+v", s.reg.List())
		}
	}
}
