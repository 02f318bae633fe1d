package cues

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// keepOutcomes is how many fires' outcomes the sender keeps in memory.
const keepOutcomes = 8

// outcomes holds how the cues of the latest fires went, for the
// operators' screens. It belongs to Sender and is guarded by its mu.
type outcomes struct {
	order []string // fire ids, oldest first
	byID  map[string][]protocol.CueOutcome
}

// start records the cues of a fire as scheduled: pending, or skipped.
func (o *outcomes) start(fireID string, fireAt time.Time, cues []controller.Cue, rehearsal bool) {
	if o.byID == nil {
		o.byID = map[string][]protocol.CueOutcome{}
	}
	list := make([]protocol.CueOutcome, len(cues))
	for i, c := range cues {
		list[i] = protocol.CueOutcome{
			Index: i, Kind: string(c.Kind), Target: c.Target, Address: c.Address, Method: c.Method,
			DueAt: fireAt.Add(time.Duration(c.DelayMs) * time.Millisecond).UnixMilli(), State: protocol.CuePending,
		}
		if c.Kind == controller.CueOSC {
			list[i].Method = ""
		}
		if rehearsal && c.SkipRehearsal {
			list[i].State = protocol.CueSkipped
		}
	}
	if _, ok := o.byID[fireID]; !ok {
		o.order = append(o.order, fireID)
	}
	o.byID[fireID] = list
	for len(o.order) > keepOutcomes {
		delete(o.byID, o.order[0])
		o.order = o.order[1:]
	}
}

// finish records the end of cue i of a fire: sent when err is nil.
func (o *outcomes) finish(fireID string, i int, late time.Duration, err error) {
	list := o.byID[fireID]
	if i >= len(list) {
		return
	}
	c := &list[i]
	c.LateMs = float64(late.Microseconds()) / 1000
	if err == nil {
		c.State = protocol.CueSent
		return
	}
	c.State = protocol.CueFailed
	c.Reason, c.Status = reasonOf(err)
	c.Why = whyVN(c.Reason, c.Status)
}

// whys say in Vietnamese why a cue failed, by reason.
var whys = map[string]string{
	protocol.CueTimeout:     "không trả lời sau 2 giây",
	protocol.CueRefused:     "thiết bị từ chối kết nối",
	protocol.CueUnreachable: "không tới được địa chỉ",
	protocol.CueInvalid:     "tín hiệu không hợp lệ",
	protocol.CueOther:       "lỗi mạng",
}

// whyVN says in Vietnamese why a cue failed.
func whyVN(reason string, status int) string {
	if reason == protocol.CueStatus {
		return fmt.Sprintf("trả lời mã %d", status)
	}
	if w, ok := whys[reason]; ok {
		return w
	}
	return whys[protocol.CueOther]
}

// get returns a copy of a fire's outcomes, nil when none were recorded.
func (o *outcomes) get(fireID string) []protocol.CueOutcome {
	return slices.Clone(o.byID[fireID])
}

// failure is a cue's error with the reason an operator is told.
type failure struct {
	reason string
	status int
	err    error
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// failed wraps err with its reason.
func failed(reason string, err error) error { return &failure{reason: reason, err: err} }

// reasonOf says why a cue failed: the reason it was given where it
// failed, or one read from a network error.
func reasonOf(err error) (string, int) {
	var f *failure
	if errors.As(err, &f) && f.reason != "" {
		return f.reason, f.status
	}
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return protocol.CueTimeout, 0
	case errors.Is(err, syscall.ECONNREFUSED):
		return protocol.CueRefused, 0
	case errors.As(err, &dns), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return protocol.CueUnreachable, 0
	}
	return protocol.CueOther, 0
}
