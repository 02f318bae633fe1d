package node

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// retryDelay is how long a message the handler could not apply waits
// before it is delivered again.
const retryDelay = 500 * time.Millisecond

// ackWait is how long an entry delivered and not acknowledged waits before
// it is delivered again: far longer than applying one takes (a commit), and
// harmless when too short (an entry applied twice is skipped).
const ackWait = 5 * time.Second

// Inbox consumes the standby stream on the standby, in order: one message
// at a time is delivered (MaxAckPending 1), acknowledged (and so removed)
// once the handler returns nil, delivered again after retryDelay when it
// returns an error. A restarted standby goes on with the first entry its
// engine had not applied.
type Inbox struct {
	stream jetstream.Stream
	cc     jetstream.ConsumeContext

	mu      sync.Mutex // held while an entry is applied
	stopped bool
}

// Apply applies one entry of the primary's journal: seq is the engine's
// sequence the entry made, body the encoded entry. An error means "try
// again later"; an entry that must be skipped returns nil.
type Apply func(seq uint64, body []byte) error

// Inbox creates (or keeps) the standby stream on this node and starts
// consuming it with apply, on nc, a connection to this node (Connect).
// Stop it before nc is closed.
func (n *Node) Inbox(nc *nats.Conn, apply Apply) (*Inbox, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("node: jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	stream, err := js.CreateOrUpdateStream(ctx, StandbyStreamConfig())
	if err != nil {
		return nil, fmt.Errorf("node: create the stream %s: %w", StandbyStream, err)
	}
	// The stream holds only what was not applied (work-queue retention):
	// a consumer made afresh delivers exactly that, at once, where the
	// old one would first wait out the acknowledgement of an entry
	// delivered before a crash.
	if err := stream.DeleteConsumer(ctx, standbyConsumer); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil, fmt.Errorf("node: reset the consumer of %s: %w", StandbyStream, err)
	}
	cons, err := stream.CreateConsumer(ctx, jetstream.ConsumerConfig{
		Durable:       standbyConsumer,
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		MaxAckPending: 1,
		AckWait:       ackWait,
	})
	if err != nil {
		return nil, fmt.Errorf("node: create the consumer of %s: %w", StandbyStream, err)
	}
	in := &Inbox{stream: stream}
	in.cc, err = cons.Consume(func(m jetstream.Msg) {
		in.mu.Lock()
		defer in.mu.Unlock()
		if in.stopped {
			_ = m.Nak() // for the next consumer
			return
		}
		seq, perr := strconv.ParseUint(m.Headers().Get(SeqHeader), 10, 64)
		if perr != nil {
			n.log.Error("standby stream: a message without its sequence; dropped", "err", perr)
			_ = m.Term()
			return
		}
		if err := apply(seq, m.Data()); err != nil {
			n.log.Warn("standby stream: entry not applied; will retry", "seq", seq, "err", err)
			_ = m.NakWithDelay(retryDelay)
			return
		}
		if err := m.DoubleAck(context.Background()); err != nil {
			n.log.Warn("standby stream: acknowledge an applied entry", "seq", seq, "err", err)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("node: consume %s: %w", StandbyStream, err)
	}
	return in, nil
}

// Held is what the stream holds: how many entries wait to be applied and
// the sequence of the newest one (0 when none waits).
func (in *Inbox) Held(ctx context.Context) (waiting, newest uint64, err error) {
	info, err := in.stream.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("node: stream info: %w", err)
	}
	if info.State.Msgs == 0 {
		return 0, 0, nil
	}
	m, err := in.stream.GetLastMsgForSubject(ctx, StandbySubject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, 0, nil // applied in between
	}
	if err != nil {
		return 0, 0, fmt.Errorf("node: newest entry: %w", err)
	}
	newest, err = strconv.ParseUint(m.Header.Get(SeqHeader), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("node: newest entry's sequence: %w", err)
	}
	return info.State.Msgs, newest, nil
}

// Stop stops consuming and waits for an entry being applied; the entries
// not yet applied stay in the stream.
func (in *Inbox) Stop() {
	in.cc.Stop()
	select {
	case <-in.cc.Closed():
	case <-time.After(setupTimeout):
	}
	in.mu.Lock()
	in.stopped = true
	in.mu.Unlock()
}
