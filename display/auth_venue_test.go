package display

import (
	"testing"

	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

// A venue's secret opens no socket, in any role that takes a secret.
func TestVenueSecretOpensNoSocket(t *testing.T) {
	env := newHubEnv(t, nil)
	v, secret, err := env.auth.Registry().New(access.Spec{Kind: access.KindVenue, Label: "Huyện Bù Đăng", DelayMs: 1500})
	if err != nil {
		t.Fatal(err)
	}
	for _, hello := range []protocol.HelloMsg{
		{Role: RoleOperator, Name: "điểm cầu", Token: secret},
		{Role: RoleButton, Name: "điểm cầu", Key: secret, Button: "nut-1"},
	} {
		t.Run(string(hello.Role), func(t *testing.T) {
			if e := env.refusedHello(hello); e.Code != EUNAUTHORIZED {
				t.Fatalf("hello with a venue's secret: %+v, want %s", e, EUNAUTHORIZED)
			}
		})
	}
	if _, ok := env.auth.Registry().Venue(v.ID, secret); !ok {
		t.Fatal("the venue's own leaf check no longer opens")
	}
}
