package pagetest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/static/browsertest"
)

// /stage?selftest=1 plays the moment on that screen alone, shows its frame
// rate and quality with a verdict, and the MC's devices panel shows them
// too; nothing is fired.
func TestStageSelfTest(t *testing.T) {
	s := startServer(t)
	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, s.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	stage := open(t, browser, s.URL+"/stage?name=Màn thử&selftest=1", 1920, 1080)
	stage.wait(`!document.getElementById("selftest").hidden`, 20*time.Second, `window.phatdongFire`)
	st := eval[fireStats](stage, `window.phatdongFire`)
	if !st.Done || st.FireID != "tu-kiem-tra" || st.Frames < 100 {
		t.Errorf("self-test moment %+v, want a whole moment of its own", st)
	}
	if got, want := stage.text("selftest-fps"), strconv.FormatFloat(st.FPS, 'f', -1, 64)+" hình/giây"; got != want {
		t.Errorf("self-test shows %q for %.1f fps", got, st.FPS)
	}
	if got := stage.text("selftest-quality"); got != st.QualityName || got == "" {
		t.Errorf("self-test shows quality %q, the moment chose %q", got, st.QualityName)
	}
	if v := stage.text("selftest-verdict"); !strings.HasPrefix(v, "Đạt") && !strings.HasPrefix(v, "Chưa đạt") {
		t.Errorf("self-test verdict %q", v)
	}
	if ph := s.engine.Snapshot().State.Launch.Phase; ph != "idle" {
		t.Errorf("the self-test changed the launch to %s", ph)
	}
	// The MC sees the screen's figures.
	mc.click("tab-devices")
	mc.wait(`(document.querySelector('#dev-rows tr[data-role="stage"] td.moment') || {}).textContent?.includes("hình/giây")`, 10*time.Second, `document.getElementById("dev-rows").innerText`)
	row := eval[string](mc, `document.querySelector('#dev-rows tr[data-role="stage"]').innerText`)
	if !strings.Contains(row, "Màn thử") || !strings.Contains(row, st.QualityName) {
		t.Errorf("devices row %q, want the screen's name and quality %q", row, st.QualityName)
	}
	stage.checkConsole()
	mc.checkConsole()
}
