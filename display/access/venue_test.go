package access

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func TestNewVenueRefusesBadFields(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spec  Spec
		field string
	}{
		{"no hall name", Spec{Kind: KindVenue, Label: "  ", DelayMs: 100}, "label"},
		{"a button", Spec{Kind: KindVenue, Label: "Huyện Bù Đăng", Button: "nut-1"}, "button"},
		{"a negative delay", Spec{Kind: KindVenue, Label: "Huyện Bù Đăng", DelayMs: -1}, "delayMs"},
		{"a delay over the limit", Spec{Kind: KindVenue, Label: "Huyện Bù Đăng", DelayMs: MaxDelayMs + 1}, "delayMs"},
		{"a delay on an operator", Spec{Kind: KindOperator, Label: "iPad", DelayMs: 100}, "delayMs"},
		{"a delay on a button", Spec{Kind: KindButton, Label: "Nút 1", Button: "nut-1", DelayMs: 100}, "delayMs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &memStore{records: map[string][]byte{}}
			r := open(t, store, &fakeClock{t: time.UnixMilli(1000)}, "")
			_, _, err := r.New(tc.spec)
			var e *controller.Error
			if !errors.As(err, &e) || e.Code != controller.EINVALID || e.Field != tc.field {
				t.Fatalf("error %v, want invalid %s", err, tc.field)
			}
			if len(r.List()) != 1 || store.puts != 0 {
				t.Fatalf("a refused venue changed the registry: %d listed, %d writes", len(r.List()), store.puts)
			}
		})
	}
}

func TestVenueOpensOnlyItsLeafLink(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	clock := &fakeClock{t: time.UnixMilli(1000)}
	r := open(t, store, clock, "")
	op, opSecret, err := r.Create(KindOperator, "iPad", "")
	if err != nil {
		t.Fatal(err)
	}
	v, secret, err := r.New(Spec{Kind: KindVenue, Label: " Huyện Bù Đăng ", DelayMs: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != KindVenue || v.Label != "Huyện Bù Đăng" || v.DelayMs != 1500 || v.Button != "" {
		t.Fatalf("created %+v", v)
	}
	clock.t = clock.t.Add(2 * time.Minute)
	for _, tc := range []struct {
		name, id, secret string
		ok               bool
	}{
		{"its id and secret", v.ID, secret, true},
		{"a wrong secret", v.ID, secret + "x", false},
		{"no secret", v.ID, "", false},
		{"an unknown id", "k0000000000", secret, false},
		{"another credential's id and secret", op.ID, opSecret, false},
		{"the administrator's token", AdminID, "admin-secret", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := r.Venue(tc.id, tc.secret)
			if ok != tc.ok || ok && (c.ID != v.ID || c.DelayMs != 1500) {
				t.Fatalf("Venue = %+v %v, want %v", c, ok, tc.ok)
			}
		})
	}
	if got := find(r, v.ID); got.LastUsedAt != clock.t.UnixMilli() {
		t.Errorf("last use %d, want %d", got.LastUsedAt, clock.t.UnixMilli())
	}
	// Its secret opens nothing else: not an operator's or a button's door.
	before := find(r, v.ID).LastUsedAt
	clock.t = clock.t.Add(time.Minute)
	if id, ok := r.Identify(secret, "10.0.0.9"); ok {
		t.Fatalf("Identify opened a venue: %+v", id)
	}
	if got := find(r, v.ID); got.LastUsedAt != before || got.LastAddr != "" {
		t.Errorf("a refused Identify noted a use: %+v", got)
	}
	// Kept across a restart with its delay; revoked, it opens no more.
	r2 := open(t, store, clock, "")
	if c, ok := r2.Venue(v.ID, secret); !ok || c.DelayMs != 1500 || c.Label != "Huyện Bù Đăng" {
		t.Fatalf("after a restart: %+v %v", c, ok)
	}
	var told []string
	r2.OnRevoke(func(c Credential) { told = append(told, c.ID) })
	if _, err := r2.Revoke(v.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := r2.Venue(v.ID, secret); ok || len(told) != 1 || told[0] != v.ID {
		t.Fatalf("revoked venue: opens %v, told %v", ok, told)
	}
}

func TestSetDelay(t *testing.T) {
	store := &memStore{records: map[string][]byte{}}
	r := open(t, store, &fakeClock{t: time.UnixMilli(1000)}, "")
	v, _, err := r.New(Spec{Kind: KindVenue, Label: "Huyện Lộc Ninh", DelayMs: 1500})
	if err != nil {
		t.Fatal(err)
	}
	op, _, _ := r.Create(KindOperator, "iPad", "")
	gone, _, _ := r.New(Spec{Kind: KindVenue, Label: "Huyện cũ"})
	if _, err := r.Revoke(gone.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, id string
		ms       int64
		code     string
	}{
		{"negative", v.ID, -5, controller.EINVALID},
		{"over the limit", v.ID, MaxDelayMs + 1, controller.EINVALID},
		{"unknown id", "k0000000000", 100, controller.ENOTFOUND},
		{"an operator", op.ID, 100, controller.ENOTFOUND},
		{"the administrator", AdminID, 100, controller.ENOTFOUND},
		{"a revoked venue", gone.ID, 100, controller.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			puts := store.puts
			_, err := r.SetDelay(tc.id, tc.ms)
			if controller.ErrorCode(err) != tc.code {
				t.Fatalf("error %v, want %s", err, tc.code)
			}
			if store.puts != puts || find(r, v.ID).DelayMs != 1500 {
				t.Fatal("a refused delay changed something")
			}
		})
	}
	for _, ms := range []int64{0, MaxDelayMs, 2500} {
		if c, err := r.SetDelay(v.ID, ms); err != nil || c.DelayMs != ms {
			t.Fatalf("SetDelay(%d) = %+v, %v", ms, c, err)
		}
	}
	// A failed write changes nothing.
	store.fail = errors.New("disk full")
	if _, err := r.SetDelay(v.ID, 300); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("SetDelay with a failing store: %v", err)
	}
	if find(r, v.ID).DelayMs != 2500 {
		t.Fatal("a failed write changed the delay")
	}
	store.fail = nil
	if r2 := open(t, store, &fakeClock{}, ""); find(r2, v.ID).DelayMs != 2500 {
		t.Fatalf("stored delay %d, want 2500", find(r2, v.ID).DelayMs)
	}
}

func TestVenuesTravelToTheStandby(t *testing.T) {
	a := newServer(t, "A", "token-A", "", nil)
	b := newServer(t, "B", "token-B", "", nil)
	v, secret, err := a.reg.New(Spec{Kind: KindVenue, Label: "Huyện Bù Đăng", DelayMs: 1500})
	if err != nil {
		t.Fatal(err)
	}
	follow(t, b, a)
	if c, ok := b.reg.Venue(v.ID, secret); !ok || c.DelayMs != 1500 || c.Kind != KindVenue {
		t.Fatalf("on the standby: %+v %v", c, ok)
	}
	if opens(b, secret) != "" {
		t.Fatal("an imported venue's secret opens over Identify")
	}
	// A use leaves the version as it is; a new delay changes it and follows.
	before := version(t, a)
	if _, ok := a.reg.Venue(v.ID, secret); !ok || version(t, a) != before {
		t.Fatal("a venue's use changed the version")
	}
	if _, err := a.reg.SetDelay(v.ID, 3000); err != nil {
		t.Fatal(err)
	}
	if version(t, a) == before {
		t.Fatal("a new delay left the version as it was")
	}
	follow(t, b, a)
	if got := listed(b, v.ID); got.DelayMs != 3000 {
		t.Fatalf("standby's delay %d, want 3000", got.DelayMs)
	}
	// Revoked on the primary, it is shut on the standby too.
	if _, err := a.reg.Revoke(v.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, b, a)
	if _, ok := b.reg.Venue(v.ID, secret); ok || len(b.told) != 1 {
		t.Fatalf("after the revocation: opens %v, told %v", ok, b.told)
	}
}

func TestImportVenueRecords(t *testing.T) {
	d := `"digest":"` + b64(32) + `"`
	for _, tc := range []struct {
		name, rec string
		ok        bool
		delay     int64
	}{
		{"a venue with its delay", `{"id":"k02","kind":"venue","label":"Huyện Bù Đăng","delayMs":1500,` + d + `}`, true, 1500},
		{"an older record without delayMs", `{"id":"k02","kind":"venue","label":"Huyện Bù Đăng",` + d + `}`, true, 0},
		{"an operator of an older server", `{"id":"k02","kind":"operator","label":"iPad",` + d + `}`, true, 0},
		{"a venue without a name", `{"id":"k02","kind":"venue","label":"",` + d + `}`, false, 0},
		{"a venue with a button", `{"id":"k02","kind":"venue","label":"H","button":"n",` + d + `}`, false, 0},
		{"a delay out of range", `{"id":"k02","kind":"venue","label":"H","delayMs":10001,` + d + `}`, false, 0},
		{"a delay on an operator", `{"id":"k02","kind":"operator","label":"iPad","delayMs":5,` + d + `}`, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newServer(t, "B", "token-B", "", nil)
			err := b.reg.Import([]byte("[" + tc.rec + "]"))
			if (err == nil) != tc.ok {
				t.Fatalf("Import: %v, want ok %v", err, tc.ok)
			}
			if got := listed(b, "k02"); tc.ok && got.DelayMs != tc.delay || !tc.ok && got.ID != "" {
				t.Fatalf("imported %+v", got)
			}
		})
	}
}

// find returns r's credential id, or the zero Credential.
func find(r *Registry, id string) Credential {
	for _, c := range r.List() {
		if c.ID == id {
			return c
		}
	}
	return Credential{}
}
