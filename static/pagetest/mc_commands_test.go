package pagetest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A double tap sends a command once, but a tap that undoes a toggle whose
// answer is still on its way is sent: the new state can reach the page
// before the answer, and the operator's second "b" is a command of its
// own (TestMCKeyboardShortcuts lost it once that way).
func TestCommanderSendsADoubleTapOnce(t *testing.T) {
	tab := openModule(t, "mc-commands.js")
	got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
  const sent = [];
  const link = { command: (c) => { sent.push(c.type + (c.on === undefined ? "" : "=" + c.on) + (c.seq === undefined ? "" : "@" + c.seq)); return new Promise(() => {}); } };
  const cmd = new mod.Commander(() => link, () => ({ seq: 7 }));
  cmd.send({ type: "blackout", on: true });
  cmd.send({ type: "blackout", on: true });
  cmd.send({ type: "blackout", on: false });
  cmd.send({ type: "next" });
  cmd.send({ type: "next" });
  cmd.send({ type: "goto", segment: "a" });
  cmd.send({ type: "goto", segment: "b" });
  return sent.join(" ");
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "blackout=true blackout=false next@7 goto@7 goto@7"; got != want {
		t.Errorf("sent %q, want %q", got, want)
	}
}
