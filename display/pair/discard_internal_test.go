package pair

import (
	"strings"
	"testing"

	"github.com/phatdong/phatdong/controller"
)

func TestWhatAnOldPrimaryDiscards(t *testing.T) {
	tests := []struct {
		name string
		own  controller.State
		a    announcement
		want string // a part of the note; "" for none
	}{
		{"nothing after the takeover", controller.State{Epoch: 0, Seq: 40}, announcement{Epoch: 1, EpochSeq: 41}, ""},
		{"the takeover's seq and after", controller.State{Epoch: 0, Seq: 45}, announcement{Epoch: 1, EpochSeq: 41}, "bỏ lệnh 41–45 của phiên 0"},
		{"epochs apart", controller.State{Epoch: 0, Seq: 45}, announcement{Epoch: 3, EpochSeq: 90}, "phiên 0 đến lệnh 45 được thay"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := discarded(tc.own, tc.a)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("discarded = %q, want %q", got, tc.want)
			}
		})
	}
}
