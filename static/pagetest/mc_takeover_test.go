package pagetest

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/displaytest"
	"github.com/phatdong/phatdong/protocol"
	"github.com/phatdong/phatdong/static"
	"github.com/phatdong/phatdong/static/browsertest"
)

// On a standby's MC page the takeover is held for 2 s: while the primary
// is heard it asks once more (and "Hủy" sends nothing); once the primary
// is lost the button turns red and a full hold takes over: the hook is
// called once, the page says so, the banner goes and the command buttons
// come back. A short hold sends nothing; a primary shows no button.
func TestMCTakeover(t *testing.T) {
	var pair atomic.Pointer[protocol.Pair]
	var srvp atomic.Pointer[displaytest.Server]
	var calls atomic.Int32
	var actor atomic.Pointer[controller.Actor]
	hook := func(a controller.Actor) (controller.Result, error) {
		calls.Add(1)
		actor.Store(&a)
		srv := srvp.Load()
		res, err := srv.Engine.Takeover(a)
		if err != nil {
			return res, err
		}
		p := *pair.Load()
		p.Role, p.Epoch = protocol.RolePrimary, res.Snapshot.State.Epoch
		pair.Store(&p)
		srv.Display.PairChanged()
		return res, nil
	}
	srv := displaytest.Start(t, displaytest.Options{OperatorToken: opToken, Pages: static.FS, Pair: pair.Load, Takeover: hook})
	srvp.Store(srv)
	srv.Engine.SetPrimary(false)
	epoch := srv.Engine.Snapshot().State.Epoch
	standby := protocol.Pair{Role: protocol.RoleStandby, Epoch: epoch, Peer: "10.0.0.11", Connected: true, LastContact: time.Now().UnixMilli(), InSync: true, Seq: 1, PeerSeq: 1}
	pair.Store(&standby)

	browser := browsertest.NewBrowser(t)
	mc := open(t, browser, srv.URL+"/mc#token="+opToken, 1280, 800)
	mc.wait(mcReady+` && !document.getElementById("mc-standby").hidden && !document.getElementById("tab-pair").hidden`, 10*time.Second, `document.body.innerText.slice(0, 200)`)
	mc.click("tab-pair")
	box := `document.getElementById("pair-takeover")`
	btn := `document.getElementById("pair-takeover-btn")`
	mc.wait(`!`+box+`.hidden && `+box+`.innerText.includes("Tiếp quản") && `+box+`.innerText.includes("giữ 2 giây")`, 5*time.Second, box+`.outerHTML`)
	want := "Máy này trở thành máy chính, phiên điều khiển " + itoa(int(epoch)+1) + "; chỉ dùng khi máy chính hỏng."
	if got := mc.text("pair-takeover-what"); got != want {
		t.Errorf("under the button: %q, want %q", got, want)
	}
	if eval[bool](mc, btn+`.classList.contains("urgent") || `+btn+`.disabled`) {
		t.Error("with the primary heard, the takeover is red or disabled")
	}

	// The primary is heard: a full hold asks again; "Hủy" sends nothing.
	mc.hold("pair-takeover-btn", 2300*time.Millisecond)
	mc.wait(`document.querySelector(".modal") && document.querySelector(".modal").innerText.includes("hai máy chính")`, 5*time.Second, `document.body.innerText.slice(-300)`)
	mc.js(`document.querySelector('.modal [data-value="false"]').click()`)
	mc.wait(`!document.querySelector(".modal")`, 5*time.Second, `document.body.innerText.slice(-300)`)
	if n := calls.Load(); n != 0 {
		t.Fatalf("a cancelled confirmation took over (%d calls)", n)
	}

	// The primary is lost: the button turns red.
	lost := standby
	lost.Connected, lost.InSync = false, false
	pair.Store(&lost)
	srv.Display.PairChanged()
	mc.wait(btn+`.classList.contains("urgent") && getComputedStyle(`+btn+`).backgroundImage.includes("210, 16, 44")`, 5*time.Second, `getComputedStyle(`+btn+`).backgroundImage`)

	// A short hold sends nothing.
	mc.hold("pair-takeover-btn", 500*time.Millisecond)
	mc.wait(`document.getElementById("pair-takeover-hint").textContent.includes("Đã hủy")`, 5*time.Second, `document.getElementById("pair-takeover-hint").textContent`)
	time.Sleep(300 * time.Millisecond) // a hold that went on would have fired by now
	if n := calls.Load(); n != 0 {
		t.Fatalf("a 0.5 s hold took over (%d calls)", n)
	}

	// A full hold takes over, without a second question.
	mc.hold("pair-takeover-btn", 2300*time.Millisecond)
	done := "Đã tiếp quản: máy này là máy chính (phiên " + itoa(int(epoch)+1) + ")"
	mc.wait(`document.getElementById("pair-done").textContent === `+quote(done)+` && !document.getElementById("pair-done").hidden`, 5*time.Second, `document.getElementById("pair-done").outerHTML`)
	if n := calls.Load(); n != 1 {
		t.Fatalf("hook called %d times, want 1", n)
	}
	if a := actor.Load(); a.Role != string(protocol.RoleOperator) {
		t.Errorf("the takeover's actor is %+v, want the operator", a)
	}
	mc.wait(`document.getElementById("mc-standby").hidden && `+box+`.hidden`, 5*time.Second, `document.getElementById("mc-standby").outerHTML`)
	for _, id := range lockedControls {
		mc.wait(`!document.getElementById(`+quote(id)+`).disabled`, 5*time.Second, `document.getElementById(`+quote(id)+`).outerHTML`)
	}
	if got := srv.Engine.Snapshot().State.Epoch; got != epoch+1 || !srv.Engine.Primary() {
		t.Errorf("after the takeover: epoch %d, primary %v; want %d, true", got, srv.Engine.Primary(), epoch+1)
	}
	// The new primary takes commands from the page again.
	seq := srv.Engine.Snapshot().State.Seq
	mc.click("btn-startstop")
	mc.wait(`document.getElementById("btn-startstop").textContent === "Tạm dừng"`, 5*time.Second, `document.getElementById("btn-startstop").textContent`)
	if got := srv.Engine.Snapshot().State.Seq; got != seq+1 {
		t.Errorf("start after the takeover: seq %d, want %d", got, seq+1)
	}
	mc.checkConsole()
}
