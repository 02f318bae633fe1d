package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
)

// createVenue makes a hall's credential on the province, as its /edit
// does, and returns its id and key.
func createVenue(t *testing.T, province *running, name string, delayMs int) (id, key string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"kind": "venue", "label": name, "delayMs": delayMs})
	code, out := call(t, "POST", province.url("/api/v1/credentials"), testToken, string(body))
	if code != 200 && code != 201 {
		t.Fatalf("create a venue: %d %s", code, out)
	}
	var got struct {
		Credential struct{ ID string } `json:"credential"`
		VenueKey   string              `json:"venueKey"`
		Command    string              `json:"command"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got.Credential.ID, got.VenueKey
}

// startHall starts a district hall's server following province with key.
func startHall(t *testing.T, province *running, key, name string) *running {
	t.Helper()
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.VenueOf = []string{province.nats.node.LeafAddr().String()}
	cfg.VenueKey, cfg.VenueName = key, name
	return start(t, cfg)
}

func TestADistrictHallFollowsTheProvince(t *testing.T) {
	province := start(t, withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))))
	id, key := createVenue(t, province, "Huyện Bù Đăng", 1500)
	hall := startHall(t, province, key, "Bù Đăng")
	for _, c := range []string{"next", "start"} {
		if code, body := call(t, "POST", province.url("/api/v1/commands"), testToken, `{"type":"`+c+`"}`); code != 200 {
			t.Fatalf("%s on the province: %d %s", c, code, body)
		}
	}
	want := province.engine.Snapshot().State
	waitFor(t, 10*time.Second, "the hall on the province's segment, running", func() bool {
		st := hall.engine.Snapshot().State
		return st.Current == want.Current && st.Timer.Phase == controller.TimerRunning
	})
	// The hall's API tells the province's time and its state.
	if got := stateOf(t, hall); got.State.Current.ID != stateOf(t, province).State.Current.ID {
		t.Errorf("the hall's API shows %q", got.State.Current.ID)
	}

	// The hall's operators: their blackout, never the province's commands.
	code, body := call(t, "POST", hall.url("/api/v1/commands"), testToken, `{"type":"next"}`)
	if code == 200 || !bytes.Contains(body, []byte(`"forbidden"`)) {
		t.Errorf("next on the hall: %d %s, want forbidden", code, body)
	}
	if code, body := call(t, "POST", hall.url("/api/v1/commands"), testToken, `{"type":"blackout","on":true}`); code != 200 {
		t.Errorf("the hall's own blackout: %d %s", code, body)
	}
	if province.engine.Snapshot().State.Blackout {
		t.Error("the hall's blackout reached the province")
	}

	// The province lists the hall, linked; the moment is the province's
	// instant plus the hall's delay.
	waitFor(t, 5*time.Second, "the province lists the hall linked", func() bool {
		vs := province.venues()
		return len(vs) == 1 && vs[0].ID == id && vs[0].Linked && vs[0].Addr != ""
	})
	for _, c := range []string{"arm", "fire"} {
		if code, body := call(t, "POST", province.url("/api/v1/commands"), testToken, `{"type":"`+c+`"}`); code != 200 {
			t.Fatalf("%s: %d %s", c, code, body)
		}
	}
	fired := province.engine.Snapshot().State.Launch
	waitFor(t, 5*time.Second, "the hall fires 1.5 s after the province", func() bool {
		l := hall.engine.Snapshot().State.Launch
		return l.FireID == fired.FireID && l.FireAt == fired.FireAt+1500
	})

	// Revoking the hall's key closes its link at once; it stays out.
	if code, body := call(t, "DELETE", province.url("/api/v1/credentials/"+id), testToken, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	waitFor(t, 2*time.Second, "the revoked hall's link closed", func() bool { return len(province.nats.node.VenueLinks()) == 0 })
	waitFor(t, 10*time.Second, "the hall sees its link down", func() bool { return !hall.hallStatus().Linked })
	seq := hall.engine.Snapshot().State.Seq
	call(t, "POST", province.url("/api/v1/commands"), testToken, `{"type":"next"}`)
	time.Sleep(1500 * time.Millisecond)
	if hall.engine.Snapshot().State.Seq != seq || len(province.nats.node.VenueLinks()) != 0 {
		t.Error("a revoked hall still follows the province")
	}
}

// A wrong key never links, and the hall says so to its operators.
func TestAHallWithAWrongKeyIsRefused(t *testing.T) {
	province := start(t, withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))))
	id, key := createVenue(t, province, "Huyện Lộc Ninh", 0)
	hall := startHall(t, province, id+":"+key[len(id)+1:]+"x", "Lộc Ninh")
	time.Sleep(2 * time.Second)
	if len(province.nats.node.VenueLinks()) != 0 || hall.hallStatus().Linked {
		t.Fatal("a hall with a wrong key linked")
	}
	if vs := province.venues(); len(vs) != 1 || vs[0].Linked {
		t.Fatalf("the province lists %+v", vs)
	}
}

// A province with a standby: a hall that knows both follows the primary,
// also when linked through the standby, and after a takeover follows the
// new primary (the higher epoch).
func TestAHallFollowsWhicheverProvinceServerIsPrimary(t *testing.T) {
	primary, standby := startPair(t)
	_, key := createVenue(t, primary, "Huyện Đồng Phú", 0)
	waitFor(t, 10*time.Second, "the hall's key on the standby", func() bool { return len(standby.venues()) == 1 })
	both := startHall(t, primary, key, "Đồng Phú")
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.VenueOf = []string{primary.nats.node.LeafAddr().String(), standby.nats.node.LeafAddr().String()}
	cfg.VenueKey = key
	hall := start(t, cfg)
	viaStandby := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	viaStandby.VenueOf, viaStandby.VenueKey = []string{standby.nats.node.LeafAddr().String()}, key
	throughStandby := start(t, viaStandby)

	follows := func(r *running, what string) {
		t.Helper()
		want := primary.engine.Snapshot().State
		waitFor(t, 10*time.Second, what, func() bool {
			st := r.engine.Snapshot().State
			return st.Current == want.Current && st.Timer.Phase == want.Timer.Phase
		})
	}
	call(t, "POST", primary.url("/api/v1/commands"), testToken, `{"type":"next"}`)
	follows(hall, "the hall following the primary")
	follows(throughStandby, "the hall linked to the standby following the primary")
	follows(both, "the hall of the primary alone following it")

	// The primary dies; the standby takes over one epoch up.
	primary.stop()
	if code, body := call(t, "POST", standby.url("/api/v1/takeover"), testToken, `{}`); code != 200 {
		t.Fatalf("takeover: %d %s", code, body)
	}
	call(t, "POST", standby.url("/api/v1/commands"), testToken, `{"type":"start"}`)
	want := standby.engine.Snapshot().State
	for _, r := range []*running{hall, throughStandby} {
		waitFor(t, 15*time.Second, "the hall following the new primary", func() bool {
			st := r.engine.Snapshot().State
			return st.Current == want.Current && st.Timer.Phase == controller.TimerRunning && r.hallStatus().Epoch == want.Epoch
		})
	}
}

// A province serving TLS takes the halls' links over TLS only: a hall
// trusting its CA (--venue-ca, PEM or the DER /trust serves) follows; one
// dialling in clear never links.
func TestAHallLinksOverTLS(t *testing.T) {
	f := tlsFiles(t, time.Now())
	province := start(t, withTLS(withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db"))), f))
	reg := province.api.Auth().Registry()
	trusting, secret, err := reg.New(access.Spec{Kind: access.KindVenue, Label: "Huyện Chơn Thành"})
	if err != nil {
		t.Fatal(err)
	}
	clear, clearSecret, err := reg.New(access.Spec{Kind: access.KindVenue, Label: "Huyện Hớn Quản"})
	if err != nil {
		t.Fatal(err)
	}
	der := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(der, province.tls.ca.Raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, caFile := range []string{f.CAPath, der} {
		cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
		cfg.VenueOf, cfg.VenueKey, cfg.VenueCA = []string{province.nats.node.LeafAddr().String()}, trusting.ID+":"+secret, caFile
		hall := start(t, cfg)
		waitFor(t, 10*time.Second, "the hall trusting the CA ("+filepath.Base(caFile)+") linked", func() bool { return hall.hallStatus().Linked })
		hall.stop()
	}
	cfg := withNATS(testConfig(t, filepath.Join(t.TempDir(), "phatdong.db")))
	cfg.VenueOf, cfg.VenueKey = []string{province.nats.node.LeafAddr().String()}, clear.ID+":"+clearSecret
	inClear := start(t, cfg)
	time.Sleep(2 * time.Second)
	if inClear.hallStatus().Linked {
		t.Fatal("a hall dialling in clear linked to a province serving TLS")
	}
}
