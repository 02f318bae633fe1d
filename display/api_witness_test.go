package display_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/phatdong/phatdong/display"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

func TestWitnessAPI(t *testing.T) {
	tests := []struct {
		name   string
		hook   bool
		token  string // "op", "btn" (nut-1's key), or as is
		body   string
		status int
		code   string
		want   *protocol.WitnessReport
	}{
		{name: "a button's report", hook: true, token: "btn", body: `{"epoch":0,"lostMs":6200}`, status: 204, want: &protocol.WitnessReport{LostMs: 6200}},
		{name: "a button hearing the primary", hook: true, token: "btn", body: `{"epoch":2,"lostMs":0}`, status: 204, want: &protocol.WitnessReport{Epoch: 2}},
		{name: "an operator is no witness", hook: true, token: "op", body: `{"lostMs":1}`, status: 403, code: "forbidden"},
		{name: "no key", hook: true, body: `{"lostMs":1}`, status: 401, code: "unauthorized"},
		{name: "not a standby", token: "btn", body: `{"lostMs":1}`, status: 409, code: "conflict"},
		{name: "negative", hook: true, token: "btn", body: `{"lostMs":-5}`, status: 400, code: "invalid"},
		{name: "unknown member", hook: true, token: "btn", body: `{"lostMs":5,"primary":"x"}`, status: 400, code: "invalid"},
		{name: "too large", hook: true, token: "btn", body: `{"lostMs":5` + strings.Repeat(" ", 300) + `}`, status: 413, code: "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []protocol.WitnessReport
			var from []string
			f := newPairFixture(t, true, func(cfg *display.Config) {
				if tt.hook {
					cfg.Witness = func(button string, r protocol.WitnessReport) {
						mu.Lock()
						defer mu.Unlock()
						got, from = append(got, r), append(from, button)
					}
				}
			})
			token := tt.token
			switch token {
			case "op":
				_, token, _ = f.srv.Auth().Registry().Create(access.KindOperator, "MC", "")
			case "btn":
				_, token, _ = f.srv.Auth().Registry().Create(access.KindButton, "Nút 1", "nut-1")
			}
			rec := f.do(t, request{method: http.MethodPost, path: "/api/v1/witness", token: token, body: tt.body})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.want == nil {
				if e := errorOf(t, rec); e.Code != tt.code || len(got) != 0 {
					t.Fatalf("error %+v (want %s), reports taken %v", e, tt.code, got)
				}
				return
			}
			if len(got) != 1 || got[0] != *tt.want || from[0] != "Nút 1" {
				t.Fatalf("reports %v from %v, want %+v from Nút 1", got, from, *tt.want)
			}
		})
	}
}
