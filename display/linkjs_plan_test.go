package display

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static/browsertest"
)

// planCase is one plan as the wire carries it, and an instant after it
// was measured.
type planCase struct {
	Plan *protocol.Plan `json:"plan"`
	Now  int64          `json:"now"`
}

// planOutcome is what a screen derives from a plan at an instant.
type planOutcome struct {
	DriftMs   int64   `json:"driftMs"`
	Projected []int64 `json:"projected"`
	Label     string  `json:"label"`
	Status    string  `json:"status"`
	Minutes   int     `json:"minutes"`
}

// planCases runs random commands of the MC on the default show and
// measures the plan after each, then asks for it at later instants.
func planCases(t *testing.T, n int) ([]planCase, []planOutcome) {
	show := defaultShow(t)
	rng := rand.New(rand.NewPCG(18, 4))
	zone := time.FixedZone("ICT", 7*3600)
	cmds := []controller.CommandType{controller.CmdStart, controller.CmdNext, controller.CmdPrevious,
		controller.CmdPause, controller.CmdResume, controller.CmdAddTime, controller.CmdResetTimer}
	var cases []planCase
	var want []planOutcome
	for len(cases) < n {
		st := controller.NewState(1)
		st.Timer = controller.Timer{Phase: controller.TimerReady, DurationMs: int64(show.Segments[0].DurationSec) * 1000}
		now := time.Date(2026, 12, 3, 7, 0, 0, 0, zone).Add(time.Duration(rng.IntN(3600)) * time.Second)
		for range 1 + rng.IntN(12) {
			now = now.Add(time.Duration(rng.IntN(900_000)) * time.Millisecond)
			cmd := controller.Command{Type: cmds[rng.IntN(len(cmds))], Seconds: 60 * (rng.IntN(7) - 3)}
			if next, _, err := controller.Apply(show, st, cmd, now); err == nil {
				st = next
			}
		}
		p, ok := controller.PlanAt(show, st, now)
		if !ok {
			t.Fatal("the default show has no plan")
		}
		w := wireView(controller.View{Plan: &p}).Plan
		for range 3 {
			at := now.Add(time.Duration(rng.IntN(1_200_000)-200_000) * time.Millisecond)
			g := p.Update(at)
			d := controller.DriftOf(g.DriftMs)
			cases = append(cases, planCase{w, controller.UnixMs(at)})
			want = append(want, planOutcome{g.DriftMs, g.Projected, d.Label(), string(d.Status), d.Minutes})
		}
	}
	return cases, want
}

// TestLinkJSPlanMatchesGo: static/js/plan.js brings a plan up to date and
// words the drift exactly as controller.Plan.Update and controller.DriftOf
// do, over many plans and instants.
func TestLinkJSPlanMatchesGo(t *testing.T) {
	cases, want := planCases(t, 600)
	// The tolerance's edges, where rounding could differ.
	for _, ms := range []int64{0, 1, -1, 59_999, 60_000, -60_000, 89_999, 90_000, -90_000, 150_000, -149_999} {
		p := &protocol.Plan{Starts: []int64{0}, Projected: []int64{0}, PlannedEnd: 1_000_000, EndAt: 1_000_000 + ms}
		g := controller.Plan{Starts: []int64{0}, Projected: []int64{0}, PlannedEnd: 1_000_000, EndAt: 1_000_000 + ms}.Update(time.UnixMilli(1))
		d := controller.DriftOf(g.DriftMs)
		cases = append(cases, planCase{p, 1})
		want = append(want, planOutcome{g.DriftMs, g.Projected, d.Label(), string(d.Status), d.Minutes})
	}
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	tab := browsertest.OpenModule(t, "../static/js", "plan.js", "plan")
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]planOutcome](fmt.Sprintf(`((cases) => cases.map((c) => {
		const a = plan.planAt(c.plan, c.now);
		const d = plan.driftOf(a.driftMs);
		return {driftMs: a.driftMs, projected: a.projected, label: plan.driftLabel(a.driftMs), status: d.status, minutes: d.minutes};
	}))(%s)`, data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d answers for %d cases", len(got), len(want))
	}
	bad, kinds := 0, map[string]int{}
	for i := range want {
		kinds[want[i].Status]++
		if !reflect.DeepEqual(got[i], want[i]) {
			bad++
			if bad <= 5 {
				t.Errorf("case %d (%+v at %d):\n js %+v\n go %+v", i, *cases[i].Plan, cases[i].Now, got[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d cases differ", bad, len(want))
	}
	for _, k := range []string{"late", "early", "onTime"} {
		if kinds[k] < 20 {
			t.Errorf("only %d cases read %s: the cases do not cover the rule (%v)", kinds[k], k, kinds)
		}
	}
	t.Logf("%d cases agree: %v", len(want), kinds)
}
