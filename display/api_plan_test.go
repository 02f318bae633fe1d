package display_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display"
)

// The state carries the plan when the show has a start time, and none
// when it has not (GET /api/v1/state and every answer).
func TestStateCarriesThePlan(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: smallShow})
	if body := decode[display.StateBody](t, rec); body.State.Plan != nil {
		t.Errorf("a show without a start time has a plan: %+v", body.State.Plan)
	}
	timed := strings.Replace(smallShow, `"title":"Lễ`, `"startTime":"08:00","title":"Lễ`, 1)
	rec = f.do(t, request{method: http.MethodPut, path: "/api/v1/show", token: opToken, body: timed})
	if rec.Code != http.StatusOK {
		t.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	rec = f.do(t, request{method: http.MethodGet, path: "/api/v1/state"})
	p := decode[display.StateBody](t, rec).State.Plan
	if p == nil || len(p.Starts) != 3 || len(p.Projected) != 3 {
		t.Fatalf("plan %+v, want one for 3 segments", p)
	}
	if d := p.Starts[1] - p.Starts[0]; d != 600_000 {
		t.Errorf("the second segment is planned %d ms after the first, want 600000", d)
	}
	if got := time.UnixMilli(p.Starts[0]).In(f.engine.Now().Location()).Format("15:04"); got != "08:00" {
		t.Errorf("planned start %s, want 08:00", got)
	}
}
