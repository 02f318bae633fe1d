package oscin

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/osc"
)

func TestCommand(t *testing.T) {
	on, off := true, false
	msg := func(addr string, args ...any) osc.Message { return osc.Message{Address: addr, Args: args} }
	tests := []struct {
		name    string
		in      osc.Message
		want    controller.Command
		wantErr string
	}{
		{"next", msg("/phatdong/next"), controller.Command{Type: controller.CmdNext}, ""},
		{"next pressed (1)", msg("/phatdong/next", int32(1)), controller.Command{Type: controller.CmdNext}, ""},
		{"next pressed (1.0)", msg("/phatdong/next", float32(1)), controller.Command{Type: controller.CmdNext}, ""},
		{"next released", msg("/phatdong/next", int32(0)), controller.Command{}, "release"},
		{"previous", msg("/phatdong/previous"), controller.Command{Type: controller.CmdPrevious}, ""},
		{"start", msg("/phatdong/start", true), controller.Command{Type: controller.CmdStart}, ""},
		{"pause", msg("/phatdong/pause"), controller.Command{Type: controller.CmdPause}, ""},
		{"resume", msg("/phatdong/resume"), controller.Command{Type: controller.CmdResume}, ""},
		{"clear message", msg("/phatdong/clear-message"), controller.Command{Type: controller.CmdClearMsg}, ""},
		{"goto", msg("/phatdong/goto", "van-nghe"), controller.Command{Type: controller.CmdGoto, Segment: "van-nghe"}, ""},
		{"add-time int", msg("/phatdong/add-time", int32(60)), controller.Command{Type: controller.CmdAddTime, Seconds: 60}, ""},
		{"add-time negative float", msg("/phatdong/add-time", float32(-30)), controller.Command{Type: controller.CmdAddTime, Seconds: -30}, ""},
		{"message", msg("/phatdong/message", "Còn 2 phút"), controller.Command{Type: controller.CmdMessage, Text: "Còn 2 phút"}, ""},
		{"blackout 1", msg("/phatdong/blackout", int32(1)), controller.Command{Type: controller.CmdBlackout, On: &on}, ""},
		{"blackout F", msg("/phatdong/blackout", false), controller.Command{Type: controller.CmdBlackout, On: &off}, ""},
		{"arm never", msg("/phatdong/arm"), controller.Command{}, "unknown address"},
		{"fire never", msg("/phatdong/fire"), controller.Command{}, "unknown address"},
		{"press never", msg("/phatdong/press", "nut-1"), controller.Command{}, "unknown address"},
		{"reset-launch never", msg("/phatdong/reset-launch"), controller.Command{}, "unknown address"},
		{"other prefix", msg("/cue/1/go"), controller.Command{}, "not under"},
		{"next with string", msg("/phatdong/next", "x"), controller.Command{}, "takes no argument"},
		{"next with two", msg("/phatdong/next", int32(1), int32(1)), controller.Command{}, "takes no argument"},
		{"goto without id", msg("/phatdong/goto"), controller.Command{}, "one argument"},
		{"goto with number", msg("/phatdong/goto", int32(3)), controller.Command{}, "segment id"},
		{"add-time zero", msg("/phatdong/add-time", int32(0)), controller.Command{}, "non-zero"},
		{"add-time fraction", msg("/phatdong/add-time", float32(1.5)), controller.Command{}, "whole"},
		{"message blank", msg("/phatdong/message", "  "), controller.Command{}, "text"},
		{"blackout 2", msg("/phatdong/blackout", int32(2)), controller.Command{}, "0 or 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Command(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Command error = %v, want one containing %q", err, tt.wantErr)
				}
				if tt.wantErr == "release" && !errors.Is(err, errRelease) {
					t.Fatalf("Command error = %v, want errRelease", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Command = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParseAllow(t *testing.T) {
	l, err := ParseAllow([]string{"192.168.1.20", " 10.0.0.0/24 ", "", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := l.String(); got != "192.168.1.20,10.0.0.0/24,::1" {
		t.Fatalf("String = %q", got)
	}
	for addr, want := range map[string]bool{
		"192.168.1.20": true, "192.168.1.21": false, "10.0.0.7": true, "10.0.1.7": false,
		"::1": true, "::ffff:192.168.1.20": true, "127.0.0.1": false,
	} {
		if got := l.Allows(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Allows(%s) = %v, want %v", addr, got, want)
		}
	}
	if (AllowList{}).Allows(netip.MustParseAddr("127.0.0.1")) {
		t.Error("an empty list allowed a sender")
	}
	for _, bad := range []string{"192.168.1", "10.0.0.0/33", "pi.local"} {
		if _, err := ParseAllow([]string{bad}); err == nil {
			t.Errorf("ParseAllow(%q) took it", bad)
		}
	}
}
