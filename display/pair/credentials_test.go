package pair_test

import (
	"slices"
	"testing"
	"time"
)

func TestTheStandbyCopiesThePrimarysCredentialsWhenTheyChange(t *testing.T) {
	p := open(t, t.TempDir(), "")
	p.creds = &fakeCreds{}
	p.creds.set("v1", `["mc","nut-1"]`)
	startServer(t, p, "primary-1", false)
	defer p.close()
	s := startStandby(t, t.TempDir(), p)
	defer s.close()
	eventually(t, 10*time.Second, "the first copy", func() bool { return slices.Equal(s.creds.got(), []string{`["mc","nut-1"]`}) })

	p.creds.set("v2", `["mc"]`) // nut-1 revoked
	eventually(t, 10*time.Second, "the revocation copied", func() bool { return len(s.creds.got()) == 2 && s.creds.got()[1] == `["mc"]` })

	time.Sleep(1500 * time.Millisecond) // three hellos with the same version
	if got := s.creds.got(); len(got) != 2 {
		t.Fatalf("imported %d times, want 2: the same version is not copied again", len(got))
	}
}
