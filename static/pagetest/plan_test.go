package pagetest

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/static/browsertest"
)

// planNow is the server's plan now, and how the pages should word it.
func planNow(t *testing.T, s *server) (controller.Plan, string) {
	t.Helper()
	snap := s.engine.Snapshot()
	p, ok := controller.PlanAt(snap.Show, snap.State, time.Now())
	if !ok {
		t.Fatal("the show has no plan")
	}
	return p, controller.DriftOf(p.DriftMs).Label()
}

// projectedText is what the MC's rundown says of segment i's clock time.
func projectedText(p controller.Plan, i int) string {
	proj := time.UnixMilli(p.Projected[i]).Format("15:04")
	planned := time.UnixMilli(p.Starts[i]).Format("15:04")
	if proj == planned {
		return "Vào lúc " + proj
	}
	return "Vào lúc " + proj + " (kế hoạch " + planned + ")"
}

// Running late or early (issue #18, item 4): the editor sets the start
// time, the MC and the presenter show the drift as the show runs, and the
// MC's rundown the projected clock time of the segments left.
func TestPlanDriftOnMCAndPresenter(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	ed := open(t, browser, s.URL+"/edit#token="+opToken, 1600, 1000)
	ed.wait(`document.querySelectorAll(".seg").length === 9`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	if v := eval[string](ed, `document.querySelector('[data-path="startTime"]').value`); v != "07:30" {
		t.Errorf("the editor's start time %q, want the default show's 07:30", v)
	}
	// Ten minutes from now: starting now is early.
	start := time.Now().Add(10 * time.Minute).Format("15:04")
	ed.setField("startTime", start)
	ed.click("ed-save")
	ed.wait(`document.getElementById("ed-status").classList.contains("saved")`, 5*time.Second, `document.getElementById("ed-status").textContent`)
	if got := s.engine.Snapshot().Show.StartTime; got != start {
		t.Fatalf("saved start time %q, want %q", got, start)
	}
	ed.checkConsole()

	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	presenter := open(t, browser, s.URL+"/presenter", 1280, 720)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	s.command(t, `{"type":"start"}`)
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	p, want := planNow(t, s)
	if d := controller.DriftOf(p.DriftMs); d.Status != controller.Early || d.Minutes < 9 || d.Minutes > 10 {
		t.Fatalf("started 10 minutes before the plan reads %+v", d)
	}
	for _, pg := range []struct {
		p  *page
		id string
	}{{mc, "chip-plan"}, {presenter, "p-plan"}} {
		pg.p.wait(`!document.getElementById("`+pg.id+`").hidden && document.getElementById("`+pg.id+`").textContent === `+quote(want)+
			` && document.getElementById("`+pg.id+`").classList.contains("plan-early")`, 5*time.Second, `document.getElementById("`+pg.id+`").outerHTML`)
	}
	next := `document.querySelector('.rd-item[data-id="van-nghe"] .rd-proj')`
	mc.wait(next+` && `+next+`.textContent === `+quote(projectedText(p, 1)), 5*time.Second, next+`?.textContent`)
	if got := eval[string](mc, `document.querySelector('.rd-item[data-id="don-tiep"] .rd-plan')?.textContent || ""`); got != "Kế hoạch "+start {
		t.Errorf("the started segment's planned time %q, want %q", got, "Kế hoạch "+start)
	}

	// Twenty minutes more for the welcome: the show now runs late.
	s.command(t, `{"type":"add-time","seconds":1200}`)
	mc.wait(`document.getElementById("chip-plan").classList.contains("plan-late")`, 5*time.Second, `document.getElementById("chip-plan").outerHTML`)
	p, want = planNow(t, s)
	if d := controller.DriftOf(p.DriftMs); d.Status != controller.Late || d.Minutes < 10 || d.Minutes > 11 {
		t.Fatalf("20 minutes added read %+v", d)
	}
	mc.wait(`document.getElementById("chip-plan").textContent === `+quote(want), 5*time.Second, `document.getElementById("chip-plan").textContent`)
	presenter.wait(`document.getElementById("p-plan").textContent === `+quote(want), 5*time.Second, `document.getElementById("p-plan").textContent`)
	mc.wait(next+`.textContent === `+quote(projectedText(p, 1)), 5*time.Second, next+`?.textContent`)
	mc.checkConsole()
	presenter.checkConsole()
}
