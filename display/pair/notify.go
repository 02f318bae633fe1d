package pair

import (
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// notifier calls Changed when what operators see of the pair changed: on
// a nudge (soon) or on its own once a second (contact is lost by time
// passing, not by a message), and only when the status differs from the
// last one told, the time of last contact aside.
type notifier struct {
	changed func()
	wake    chan struct{}
	quit    chan struct{}
}

func newNotifier(changed func()) notifier {
	return notifier{changed: changed, wake: make(chan struct{}, 1), quit: make(chan struct{})}
}

// soon asks for a look at the status; it never blocks.
func (n notifier) soon() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n notifier) run(status func() *protocol.Pair) {
	if n.changed == nil {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var last protocol.Pair
	for {
		select {
		case <-n.quit:
			return
		case <-n.wake:
		case <-tick.C:
		}
		st := status()
		if st == nil {
			continue
		}
		cur := *st
		cur.LastContact = 0
		if cur != last {
			last = cur
			n.changed()
		}
	}
}

func (n notifier) close() {
	select {
	case <-n.quit:
	default:
		close(n.quit)
	}
}
