package controller_test

import (
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

func press(button, id string) controller.Command {
	return controller.Command{Type: controller.CmdPress, Button: button, PressID: id}
}

func TestLaunchRules(t *testing.T) {
	show := testShow(t)
	arm := cmd(controller.CmdArm)
	tests := []struct {
		name  string
		steps []step
		phase controller.LaunchPhase
		src   string
	}{
		{"a press when not armed changes nothing", []step{{cmd: press("b1", "p1"), code: controller.ENOTARMED}}, controller.LaunchIdle, ""},
		{"a fire when not armed changes nothing", []step{{cmd: cmd(controller.CmdFire), code: controller.ENOTARMED}}, controller.LaunchIdle, ""},
		{"armed press fires", []step{{cmd: arm}, {cmd: press("b1", "p1"), out: controller.OutcomeFired}}, controller.LaunchFired, "button:b1"},
		{"backup fire", []step{{cmd: arm}, {cmd: cmd(controller.CmdFire), out: controller.OutcomeFired}}, controller.LaunchFired, "backup"},
		{"first trigger wins, later ones are duplicates", []step{
			{cmd: arm},
			{cmd: press("b1", "p1"), out: controller.OutcomeFired},
			{cmd: press("b2", "p2"), code: controller.EDUPLICATE},
			{cmd: cmd(controller.CmdFire), code: controller.EDUPLICATE},
			{cmd: arm, code: controller.EDUPLICATE},
		}, controller.LaunchFired, "button:b1"},
		{"arm twice is a conflict", []step{{cmd: arm}, {cmd: arm, code: controller.ECONFLICT}}, controller.LaunchArmed, ""},
		{"disarm", []step{{cmd: arm}, {cmd: cmd(controller.CmdDisarm)}, {cmd: press("b1", "p1"), code: controller.ENOTARMED}}, controller.LaunchIdle, ""},
		{"disarm when idle is a conflict", []step{{cmd: cmd(controller.CmdDisarm), code: controller.ECONFLICT}}, controller.LaunchIdle, ""},
		{"reset needs rehearsal mode", []step{
			{cmd: arm}, {cmd: cmd(controller.CmdFire)},
			{cmd: cmd(controller.CmdResetLaunch), code: controller.EFORBIDDEN},
		}, controller.LaunchFired, "backup"},
		{"reset in rehearsal mode, then fire again", []step{
			{cmd: controller.Command{Type: controller.CmdRehearsal, On: on(true)}},
			{cmd: arm}, {cmd: cmd(controller.CmdFire)},
			{cmd: cmd(controller.CmdResetLaunch)},
			{cmd: arm}, {cmd: press("b9", "p9"), out: controller.OutcomeFired},
		}, controller.LaunchFired, "button:b9"},
		{"a press needs a button and a press id", []step{
			{cmd: arm},
			{cmd: controller.Command{Type: controller.CmdPress, PressID: "p"}, code: controller.EINVALID},
			{cmd: controller.Command{Type: controller.CmdPress, Button: "b1"}, code: controller.EINVALID},
		}, controller.LaunchArmed, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := run(t, show, tc.steps)
			if st.Launch.Phase != tc.phase || st.Launch.Source != tc.src {
				t.Fatalf("launch = %s by %q, want %s by %q", st.Launch.Phase, st.Launch.Source, tc.phase, tc.src)
			}
		})
	}
}

func TestLaunchFireAtIsDecisionPlusLead(t *testing.T) {
	show := testShow(t)
	st, now := run(t, show, []step{{cmd: cmd(controller.CmdArm)}, {after: 3 * time.Second, cmd: cmd(controller.CmdFire)}})
	l := st.Launch
	if l.FiredAt != now.UnixMilli() || l.FireAt != now.UnixMilli()+250 {
		t.Fatalf("firedAt %d fireAt %d, want %d and +250", l.FiredAt, l.FireAt, now.UnixMilli())
	}
	if l.FireID == "" {
		t.Fatal("no fire id")
	}
}

func TestLaunchMultiLeader(t *testing.T) {
	show := testShow(t)
	show.Launch.RequiredPresses, show.Launch.WindowMs = 3, 2000
	tests := []struct {
		name    string
		steps   []step
		phase   controller.LaunchPhase
		presses int
	}{
		{"three distinct buttons in the window fire", []step{
			{cmd: cmd(controller.CmdArm)},
			{cmd: press("b1", "1"), out: controller.OutcomeCounted},
			{after: 500 * time.Millisecond, cmd: press("b2", "2"), out: controller.OutcomeCounted},
			{after: 500 * time.Millisecond, cmd: press("b3", "3"), out: controller.OutcomeFired},
		}, controller.LaunchFired, 3},
		{"the same button twice counts once", []step{
			{cmd: cmd(controller.CmdArm)},
			{cmd: press("b1", "1")},
			{cmd: press("b1", "2"), code: controller.EDUPLICATE},
			{cmd: press("b2", "3"), out: controller.OutcomeCounted},
		}, controller.LaunchArmed, 2},
		{"presses older than the window drop out", []step{
			{cmd: cmd(controller.CmdArm)},
			{cmd: press("b1", "1")},
			{after: 1500 * time.Millisecond, cmd: press("b2", "2")},
			{after: 1000 * time.Millisecond, cmd: press("b3", "3"), out: controller.OutcomeCounted},
		}, controller.LaunchArmed, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := run(t, show, tc.steps)
			if st.Launch.Phase != tc.phase || len(st.Launch.Presses) != tc.presses {
				t.Fatalf("launch %s with %d presses, want %s with %d", st.Launch.Phase, len(st.Launch.Presses), tc.phase, tc.presses)
			}
		})
	}
}
