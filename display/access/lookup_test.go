package access

import (
	"errors"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func TestScreenCredentials(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1744600000, 0)}
	r := open(t, &memStore{records: map[string][]byte{}}, clock, "")
	if _, _, err := r.New(Spec{Kind: KindScreen, Label: "Màn LED", Button: "nut-1"}); !isField(err, "button") {
		t.Fatalf("a screen with a button: %v", err)
	}
	if _, _, err := r.New(Spec{Kind: KindScreen, Label: "Màn LED", DelayMs: 10}); !isField(err, "delayMs") {
		t.Fatalf("a screen with a delay: %v", err)
	}
	cred, secret, err := r.New(Spec{Kind: KindScreen, Label: "Màn LED"})
	if err != nil {
		t.Fatal(err)
	}
	// Lookup finds it without noting a use; Identify notes one.
	if id, ok := r.Lookup(secret); !ok || id.ID != cred.ID || id.Kind != KindScreen {
		t.Fatalf("Lookup: %+v %v", id, ok)
	}
	if got := r.List()[1]; got.LastUsedAt != 0 {
		t.Fatalf("a lookup noted a use: %+v", got)
	}
	if _, ok := r.Identify(secret, "10.0.0.9"); !ok {
		t.Fatal("Identify refused a live screen credential")
	}
	if got := r.List()[1]; got.LastAddr != "10.0.0.9" {
		t.Fatalf("Identify noted no use: %+v", got)
	}
	if _, err := r.Revoke(cred.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Lookup(secret); ok {
		t.Fatal("a revoked credential is still found")
	}
	if _, ok := r.Lookup(""); ok {
		t.Fatal("an empty secret is found")
	}
}

// isField reports whether err is an invalid error on field.
func isField(err error, field string) bool {
	var e *controller.Error
	return errors.As(err, &e) && e.Code == controller.EINVALID && e.Field == field
}
