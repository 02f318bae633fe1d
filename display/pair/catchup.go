package pair

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// tailTimeout bounds each entry sent at the end of a catch-up, which
// holds commits back.
const tailTimeout = 500 * time.Millisecond

// run brings the standby up each time a hello finds it behind but on this
// primary's history: the entries it lacks are sent from the journal
// without holding commits back, then the few committed meanwhile with
// commits held, and the standby is in sync again.
func (p *primarySide) run() {
	stop, done := p.stop, p.done
	defer close(done)
	for {
		select {
		case <-stop:
			return
		case from := <-p.catchUp:
			if p.InSync() {
				continue
			}
			if err := p.bringUp(from); err != nil {
				p.log.Warn("pair: catching the standby up", "from", from, "err", err)
			}
		}
	}
}

// bringUp sends every entry after from, then declares the standby in sync.
func (p *primarySide) bringUp(from uint64) error {
	last, err := p.sendSince(from, sendTimeout)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	end, err := p.sendSince(last, tailTimeout)
	if err != nil {
		return err
	}
	if head := p.committed.Load(); end != head {
		return fmt.Errorf("sent up to %d of %d", end, head)
	}
	p.inSync.Store(true)
	p.log.Info("standby in sync", "seq", end, "sent", end-from)
	p.cfg.Changed()
	return nil
}

// sendSince sends the entries after seq, each waiting at most timeout for
// the standby, and returns the last seq sent (seq when none). The entries
// are read first, then sent: the journal's read transaction is not held
// across the network.
func (p *primarySide) sendSince(seq uint64, timeout time.Duration) (uint64, error) {
	type item struct {
		seq  uint64
		body []byte
	}
	var items []item
	err := p.cfg.History.Since(seq, func(e controller.Entry, show *controller.Show) error {
		body, err := encodeEntry(e, show)
		if err != nil {
			return err
		}
		items = append(items, item{seq: e.Answer.Seq, body: body})
		return nil
	})
	if err != nil {
		if errors.Is(err, controller.ErrShowNotKept) {
			p.status.Lock()
			p.resync = true
			p.status.Unlock()
		}
		return seq, fmt.Errorf("read the journal after %d: %w", seq, err)
	}
	for _, it := range items {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err := p.sender.Send(ctx, it.seq, it.body)
		cancel()
		if err != nil {
			return seq, err
		}
		seq = it.seq
	}
	return seq, nil
}
