package access

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// memStore is a Store in memory that can be told to fail.
type memStore struct {
	records map[string][]byte
	puts    int
	fail    error
}

func (m *memStore) Credentials() ([][]byte, error) {
	return slices.Collect(maps.Values(m.records)), nil
}

func (m *memStore) PutCredential(id string, data []byte) error {
	if m.fail != nil {
		return m.fail
	}
	m.puts++
	m.records[id] = slices.Clone(data)
	return nil
}

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func open(t *testing.T, store *memStore, clock *fakeClock, shared string) *Registry {
	t.Helper()
	r, err := Open(Options{Store: store, Admin: "admin-secret", Shared: shared, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCreateRefusesBadFields(t *testing.T) {
	for _, tc := range []struct {
		name, label, button string
		kind                Kind
		code, field         string
	}{
		{"no kind", "iPad", "", "", controller.EINVALID, "kind"},
		{"unknown kind", "iPad", "", "admin", controller.EINVALID, "kind"},
		{"no label", " ", "", KindOperator, controller.EINVALID, "label"},
		{"label too long", strings.Repeat("á", MaxLabelLen+1), "", KindOperator, controller.EINVALID, "label"},
		{"label with a newline", "iPad\nMC", "", KindOperator, controller.EINVALID, "label"},
		{"operator with a button", "iPad", "nut-1", KindOperator, controller.EINVALID, "button"},
		{"button without id", "Nút 1", "", KindButton, controller.EINVALID, "button"},
		{"button id reserved", "Nút 1", SharedButton, KindButton, controller.EINVALID, "button"},
		{"button id too long", "Nút 1", strings.Repeat("n", MaxButtonID+1), KindButton, controller.EINVALID, "button"},
		{"button id taken", "Nút 1 dự phòng", "nut-1", KindButton, controller.ECONFLICT, "button"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &memStore{records: map[string][]byte{}}
			r := open(t, store, &fakeClock{t: time.UnixMilli(1000)}, "")
			if _, _, err := r.Create(KindButton, "Nút 1", "nut-1"); err != nil {
				t.Fatal(err)
			}
			before := len(r.List())
			_, _, err := r.Create(tc.kind, tc.label, tc.button)
			var ce *controller.Error
			if !errors.As(err, &ce) || ce.Code != tc.code || ce.Field != tc.field {
				t.Fatalf("Create = %v, want %s on %q", err, tc.code, tc.field)
			}
			if n := len(r.List()); n != before || len(store.records) != 1 {
				t.Fatalf("a refused credential changed the list: %d → %d, %d stored", before, n, len(store.records))
			}
		})
	}
}

func TestCreateIdentifyRevoke(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	clock := &fakeClock{t: time.UnixMilli(1_000_000)}
	r := open(t, store, clock, "")
	var told []string
	r.OnRevoke(func(c Credential) { told = append(told, c.ID) })

	btn, secret, err := r.Create(KindButton, "Nút 1 – Chủ tịch", "nut-1")
	if err != nil {
		t.Fatal(err)
	}
	if secret == "" || strings.Contains(string(store.records[btn.ID]), secret) {
		t.Fatalf("the secret is missing or stored in clear: %q in %s", secret, store.records[btn.ID])
	}
	id, ok := r.Identify(secret, "10.0.0.7")
	if !ok || id.ID != btn.ID || id.Kind != KindButton || id.Button != "nut-1" || id.Admin || id.Shared {
		t.Fatalf("Identify = %+v, %v", id, ok)
	}
	if _, ok := r.Identify(secret+"x", "10.0.0.7"); ok {
		t.Fatal("a wrong secret opened")
	}
	if id, ok := r.Identify("admin-secret", "10.0.0.2"); !ok || !id.Admin || id.Kind != KindOperator {
		t.Fatalf("the administrator's token: %+v, %v", id, ok)
	}
	if _, err := r.Revoke(AdminID); controller.ErrorCode(err) != controller.EFORBIDDEN {
		t.Fatalf("revoking the administrator: %v", err)
	}
	if _, err := r.Revoke("nope"); controller.ErrorCode(err) != controller.ENOTFOUND {
		t.Fatalf("revoking an unknown id: %v", err)
	}

	clock.t = clock.t.Add(time.Second)
	got, err := r.Revoke(btn.ID)
	if err != nil || got.RevokedAt != clock.t.UnixMilli() {
		t.Fatalf("Revoke = %+v, %v", got, err)
	}
	if _, ok := r.Identify(secret, "10.0.0.7"); ok {
		t.Fatal("a revoked credential still opens")
	}
	if !slices.Equal(told, []string{btn.ID}) {
		t.Fatalf("listeners told %v", told)
	}
	if _, err := r.Revoke(btn.ID); controller.ErrorCode(err) != controller.ECONFLICT {
		t.Fatalf("revoking twice: %v", err)
	}
	// The button id is free again once its credential is revoked.
	if _, _, err := r.Create(KindButton, "Nút 1 mới", "nut-1"); err != nil {
		t.Fatal(err)
	}

	// A restart keeps both, the revoked one revoked.
	again := open(t, store, clock, "")
	if _, ok := again.Identify(secret, "10.0.0.7"); ok {
		t.Fatal("a revoked credential opens after a restart")
	}
	list := again.List()
	if len(list) != 3 || !list[0].Admin || list[1].ID != btn.ID || list[1].Live() || !list[2].Live() {
		t.Fatalf("after a restart: %+v", list)
	}
}

func TestLastUseIsWrittenAtMostOncePerMinute(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	clock := &fakeClock{t: time.UnixMilli(5_000_000)}
	r := open(t, store, clock, "")
	c, secret, err := r.Create(KindOperator, "iPad MC", "")
	if err != nil {
		t.Fatal(err)
	}
	puts := store.puts
	for range 100 {
		clock.t = clock.t.Add(100 * time.Millisecond)
		r.Identify(secret, "10.0.0.9")
	}
	if store.puts != puts+1 {
		t.Fatalf("100 uses over 10 s wrote %d times, want 1", store.puts-puts)
	}
	list := r.List()
	if list[1].ID != c.ID || list[1].LastUsedAt != clock.t.UnixMilli() || list[1].LastAddr != "10.0.0.9" {
		t.Fatalf("the list shows %+v", list[1])
	}
	clock.t = clock.t.Add(lastUseEvery)
	r.Identify(secret, "10.0.0.9")
	if store.puts != puts+2 {
		t.Fatalf("a use a minute later wrote %d times in all, want 2", store.puts-puts)
	}
}

func TestSharedKeyCountsAsOneButtonUntilRevoked(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	forgot := 0
	r, err := Open(Options{Store: store, Admin: "admin-secret", Shared: "old-key", ForgetShared: func() error { forgot++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	id, ok := r.Identify("old-key", "10.0.0.3")
	if !ok || !id.Shared || id.Button != SharedButton || id.Kind != KindButton {
		t.Fatalf("the shared key: %+v, %v", id, ok)
	}
	if !r.SharedLive() {
		t.Fatal("SharedLive is false with a shared key")
	}
	if _, err := r.Revoke(SharedID); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Identify("old-key", "10.0.0.3"); ok || r.SharedLive() || forgot != 1 {
		t.Fatalf("after revoking: opens %v, live %v, forgotten %d times", ok, r.SharedLive(), forgot)
	}
	if list := r.List(); len(list) != 1 {
		t.Fatalf("the revoked shared key is still listed: %+v", list)
	}
}

func TestStoreFailureChangesNothing(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	r := open(t, store, &fakeClock{t: time.UnixMilli(1)}, "")
	c, secret, err := r.Create(KindButton, "Nút 2", "nut-2")
	if err != nil {
		t.Fatal(err)
	}
	store.fail = errors.New("disk full")
	if _, _, err := r.Create(KindButton, "Nút 3", "nut-3"); err == nil {
		t.Fatal("Create succeeded without the store")
	}
	if _, err := r.Revoke(c.ID); err == nil {
		t.Fatal("Revoke succeeded without the store")
	}
	if _, ok := r.Identify(secret, "a"); !ok || len(r.List()) != 2 {
		t.Fatalf("a failed write changed the credentials: opens %v, %d listed", ok, len(r.List()))
	}
}

func TestCorruptRecordIsAnError(t *testing.T) {
	for name, data := range map[string]string{
		"not JSON":     "{",
		"short digest": `{"id":"k1","kind":"button","label":"x","digest":"AAAA"}`,
	} {
		t.Run(name, func(t *testing.T) {
			store := &memStore{records: map[string][]byte{"k1": []byte(data)}}
			if _, err := Open(Options{Store: store, Admin: "a"}); err == nil || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("Open = %v, want a corrupt-credential error", err)
			}
		})
	}
}
