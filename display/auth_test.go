package display

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/access"
)

// testAuth is an Auth over credentials in memory: the administrator's
// token and, unless empty, the shared button key of an older database.
func testAuth(tb testing.TB, operatorToken, sharedKey string) *Auth {
	tb.Helper()
	reg, err := access.Open(access.Options{Admin: operatorToken, Shared: sharedKey})
	if err != nil {
		tb.Fatal(err)
	}
	return NewAuth(reg)
}

func TestAuthIdentifies(t *testing.T) {
	a := testAuth(t, "op-token", "btn-key")
	_, btnSecret, err := a.Registry().Create(access.KindButton, "Nút 1", "nut-1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		secret string
		ok     bool
		id     string
	}{
		{"administrator", "op-token", true, access.AdminID},
		{"one character off", "op-tokem", false, ""},
		{"a prefix", "op-toke", false, ""},
		{"empty", "", false, ""},
		{"the shared key", "btn-key", true, access.SharedID},
		{"a button's own key", btnSecret, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, ok := a.Identify(tt.secret, "10.0.0.1")
			if ok != tt.ok || tt.id != "" && id.ID != tt.id {
				t.Fatalf("Identify = %+v, %v; want %v %q", id, ok, tt.ok, tt.id)
			}
		})
	}
}

func TestAuthLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a := testAuth(t, "op", "btn")
	a.Now = func() time.Time { return now }

	for i := 0; i < a.MaxFailures-1; i++ {
		a.Failed("10.0.0.1")
	}
	if !a.Allowed("10.0.0.1") {
		t.Fatal("blocked before the limit")
	}
	a.Failed("10.0.0.1")
	if a.Allowed("10.0.0.1") {
		t.Fatal("not blocked at the limit")
	}
	if !a.Allowed("10.0.0.2") {
		t.Fatal("another address is blocked too")
	}
	now = now.Add(a.BlockFor - time.Second)
	if a.Allowed("10.0.0.1") {
		t.Fatal("unblocked too early")
	}
	now = now.Add(time.Second)
	if !a.Allowed("10.0.0.1") {
		t.Fatal("still blocked after BlockFor")
	}
	a.Failed("10.0.0.1")
	if !a.Allowed("10.0.0.1") {
		t.Fatal("one failure after a block blocks again")
	}

	// Failures spread wider than the window never block.
	for i := 0; i < 3*a.MaxFailures; i++ {
		a.Failed("10.0.0.3")
		now = now.Add(a.FailWindow / 5)
		if !a.Allowed("10.0.0.3") {
			t.Fatalf("blocked after %d slow failures", i+1)
		}
	}
}
