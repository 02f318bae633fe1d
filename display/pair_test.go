package display

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/protocol"
)

func TestPairWarnings(t *testing.T) {
	primary := protocol.Pair{Role: protocol.RolePrimary, Epoch: 2, Peer: "10.0.0.12", Connected: true, InSync: true, Seq: 57, PeerSeq: 57}
	standby := protocol.Pair{Role: protocol.RoleStandby, Epoch: 2, Peer: "10.0.0.11", Connected: true, InSync: true, Seq: 57, PeerSeq: 57}
	with := func(p protocol.Pair, change func(*protocol.Pair)) *protocol.Pair {
		change(&p)
		return &p
	}
	// want is one warning: its code, how its message starts, and words it
	// must hold.
	type want struct {
		code, prefix string
		holds        []string
	}
	tests := []struct {
		name string
		pair *protocol.Pair
		want []want
	}{
		{"no pair", nil, nil},
		{"primary in sync", &primary, nil},
		{"standby in sync", &standby, nil},
		{"primary, standby behind but in sync", with(primary, func(p *protocol.Pair) { p.LagCommands, p.PeerSeq = 2, 55 }), nil},
		{"primary out of sync, standby reachable",
			with(primary, func(p *protocol.Pair) { p.InSync, p.Unsynced, p.LagCommands = false, 4, 3 }),
			[]want{{protocol.WarnStandbyOutOfSync, "Máy dự phòng: mất đồng bộ", []string{"một mình", "Đã có 4 lệnh được trả lời", "còn chậm 3 lệnh"}}}},
		{"primary out of sync, standby lost",
			with(primary, func(p *protocol.Pair) { p.InSync, p.Connected, p.Unsynced = false, false, 1 }),
			[]want{{protocol.WarnStandbyOutOfSync, "Máy dự phòng: mất đồng bộ", []string{"một mình", "không liên lạc được với máy dự phòng (10.0.0.12)", "Đã có 1 lệnh", "kiểm tra mạng"}}}},
		{"primary out of sync, nothing answered alone yet",
			with(primary, func(p *protocol.Pair) { p.InSync = false }),
			[]want{{protocol.WarnStandbyOutOfSync, "Máy dự phòng: mất đồng bộ", []string{"Chưa có lệnh nào được trả lời"}}}},
		{"primary, standby diverged and re-synchronised",
			with(primary, func(p *protocol.Pair) { p.Diverged, p.DivergedSeq = true, 41 }),
			[]want{{protocol.WarnStandbyDiverged, "Máy dự phòng: lệch trạng thái ở lệnh số 41", []string{"báo kỹ thuật viên"}}}},
		{"primary out of sync and diverged",
			with(primary, func(p *protocol.Pair) { p.InSync, p.Diverged, p.DivergedSeq = false, true, 9 }),
			[]want{{protocol.WarnStandbyOutOfSync, "Máy dự phòng: mất đồng bộ", nil}, {protocol.WarnStandbyDiverged, "Máy dự phòng: lệch trạng thái ở lệnh số 9", nil}}},
		{"standby lost the primary",
			with(standby, func(p *protocol.Pair) { p.Connected, p.InSync, p.PeerSeq = false, false, 50 }),
			[]want{{protocol.WarnPrimaryLost, "Mất liên lạc với máy chính (10.0.0.11)", []string{"lệnh số 50", "kiểm tra mạng"}}}},
		{"standby lost the primary, address unknown",
			with(standby, func(p *protocol.Pair) { p.Connected, p.Peer = false, "" }),
			[]want{{protocol.WarnPrimaryLost, "Mất liên lạc với máy chính. ", nil}}},
		{"standby connected, catching up",
			with(standby, func(p *protocol.Pair) { p.InSync, p.PeerSeq, p.LagCommands = false, 52, 5 }),
			[]want{{protocol.WarnStandbyOutOfSync, "Máy này chưa đồng bộ với máy chính", []string{"còn thiếu 5 lệnh", "lệnh số 52", "lệnh số 57"}}}},
		{"standby diverged",
			with(standby, func(p *protocol.Pair) { p.Diverged, p.DivergedSeq = true, 30 }),
			[]want{{protocol.WarnStandbyDiverged, "Máy dự phòng: lệch trạng thái ở lệnh số 30", nil}}},
		{"the standby lacks films, said on the primary",
			with(primary, func(p *protocol.Pair) { p.MediaMissing = 2 }),
			[]want{{protocol.WarnStandbyMedia, "Máy dự phòng chưa có 2 tệp phim/ảnh", []string{"Hãy chờ chép xong"}}}},
		{"the standby lacks films, said on the standby",
			with(standby, func(p *protocol.Pair) { p.MediaMissing = 1 }),
			[]want{{protocol.WarnStandbyMedia, "Máy này chưa có 1 tệp phim/ảnh", nil}}},
		{"an unknown role warns of a divergence only",
			&protocol.Pair{Role: "", Diverged: true, DivergedSeq: 3},
			[]want{{protocol.WarnStandbyDiverged, "Máy dự phòng: lệch trạng thái ở lệnh số 3", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pairWarnings(tt.pair)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d warnings %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Code != w.code || !strings.HasPrefix(g.Message, w.prefix) {
					t.Errorf("warning %d: %s %q, want %s starting %q", i, g.Code, g.Message, w.code, w.prefix)
				}
				for _, s := range w.holds {
					if !strings.Contains(g.Message, s) {
						t.Errorf("warning %d: %q does not say %q", i, g.Message, s)
					}
				}
			}
		})
	}
}

// PairChanged reaches the operators only when the pair changed.
func TestPairWatchSeesOnlyChanges(t *testing.T) {
	var cur *protocol.Pair
	w := pairWatch{fn: func() *protocol.Pair { return cur }}
	steps := []struct {
		name string
		set  *protocol.Pair
		want bool
	}{
		{"still no pair", nil, false},
		{"a pair appears", &protocol.Pair{Role: protocol.RolePrimary, InSync: true, Seq: 1}, true},
		{"the same pair again", &protocol.Pair{Role: protocol.RolePrimary, InSync: true, Seq: 1}, false},
		{"a new seq", &protocol.Pair{Role: protocol.RolePrimary, InSync: true, Seq: 2}, true},
		{"out of sync", &protocol.Pair{Role: protocol.RolePrimary, Seq: 2}, true},
		{"the pair goes", nil, true},
		{"still gone", nil, false},
	}
	for _, s := range steps {
		cur = s.set
		if got := w.changed(); got != s.want {
			t.Errorf("%s: changed %v, want %v", s.name, got, s.want)
		}
	}
	if (&pairWatch{}).changed() {
		t.Error("a server without a pair saw a change")
	}
}
