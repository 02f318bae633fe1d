package pair

import (
	"time"

	"github.com/phatdong/phatdong/protocol"
)

// commitTimes remembers when the newest entries were committed, for the
// standby's lag in ms.
type commitTimes struct {
	seqs  [1024]uint64
	times [1024]time.Time
}

func (c *commitTimes) add(seq uint64, at time.Time) {
	i := seq % uint64(len(c.seqs))
	c.seqs[i], c.times[i] = seq, at
}

// lagMs is how long the oldest entry the standby has yet to apply (the
// one after applied) has waited at now; 0 when it has them all or the
// time is no longer known.
func (c *commitTimes) lagMs(applied, head uint64, now time.Time) int64 {
	if applied >= head {
		return 0
	}
	next := applied + 1
	i := next % uint64(len(c.seqs))
	if c.seqs[i] != next {
		return 0
	}
	return now.Sub(c.times[i]).Milliseconds()
}

// Status is the pair as the primary's operators see it; nil before a
// standby ever said hello.
func (p *primarySide) Status() *protocol.Pair {
	p.status.Lock()
	known := !p.contact.IsZero()
	p.status.Unlock()
	if !known {
		return nil
	}
	// The engine's lock is taken before the status lock, never inside it:
	// a commit holds the engine's lock and then takes the status lock.
	head, epoch := p.head(), p.epoch()
	p.status.Lock()
	defer p.status.Unlock()
	st := &protocol.Pair{
		Role: protocol.RolePrimary, Epoch: epoch, Connected: time.Since(p.contact) < ContactTimeout,
		LastContact: p.contact.UnixMilli(), InSync: p.InSync(), Seq: head, PeerSeq: p.peer.Seq,
		Diverged: p.peer.DivergedSeq != 0, DivergedSeq: p.peer.DivergedSeq, Unsynced: p.unsync,
		MediaMissing: p.peer.MediaMissing,
	}
	if len(p.peer.URLs) > 0 {
		st.Peer = p.peer.URLs[0]
	}
	if head > p.peer.Seq {
		st.LagCommands = head - p.peer.Seq
		st.LagMs = p.times.lagMs(p.peer.Seq, head, time.Now())
	}
	return st
}
