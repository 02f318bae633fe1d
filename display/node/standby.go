package node

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The standby's stream: the journal entries the primary committed, stored
// on the standby's disk until its engine has applied them. The primary
// publishes into it across the leaf link and the acknowledgement comes
// from the standby's JetStream, after its fsync (SyncAlways): a publish
// acknowledged means the entry is on the standby's disk. Work-queue
// retention: an entry leaves the stream once applied.
const (
	StandbyStream   = "PHATDONG_STANDBY"
	StandbySubject  = "phatdong.standby.journal"
	standbyConsumer = "engine"
	// SeqHeader carries the engine's sequence of the entry in a message.
	SeqHeader = "Phatdong-Seq"
	// standbyMaxMsgs bounds the entries waiting to be applied, far more
	// than a ceremony's commands.
	standbyMaxMsgs = 100_000
)

// setupTimeout bounds creating a stream or a consumer.
const setupTimeout = 10 * time.Second

// ErrNoStandby: no standby's stream answered the publish (no standby is
// linked, or its stream is not there yet).
var ErrNoStandby = errors.New("node: no standby answered")

// StandbyStreamConfig is the standby stream's configuration.
func StandbyStreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        StandbyStream,
		Description: "phatdong: the primary's committed entries, until this standby applied them",
		Subjects:    []string{StandbySubject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Discard:     jetstream.DiscardNew,
		MaxMsgs:     standbyMaxMsgs,
		Replicas:    1,
		// No duplicate window: the engine skips what it already applied,
		// and a catch-up must be able to send an entry again at once.
		Duplicates: 0,
	}
}

// Sender publishes journal entries into the standby's stream, from the
// primary. Safe for one goroutine at a time per entry sequence; the
// engine's lock serialises the live entries and the catch-up takes turns
// with them (display/pair).
type Sender struct {
	js jetstream.JetStream
}

// Sender returns a sender on nc, a connection to this node (Connect).
// It first removes a standby stream this node may hold itself (left from
// when it was a standby): the primary's entries must land on the
// standby's disk, never be acknowledged by its own.
func (n *Node) Sender(nc *nats.Conn) (*Sender, error) {
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(256))
	if err != nil {
		return nil, fmt.Errorf("node: jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := js.DeleteStream(ctx, StandbyStream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("node: remove this node's own %s: %w", StandbyStream, err)
	}
	return &Sender{js: js}, nil
}

// Pending is one publish awaiting the standby's acknowledgement.
type Pending struct {
	fut jetstream.PubAckFuture
}

// Start publishes the entry of sequence seq without waiting; Wait on the
// result. The primary starts the publish, then commits to its own disk,
// then waits: the two fsyncs overlap.
func (s *Sender) Start(seq uint64, body []byte) (Pending, error) {
	fut, err := s.js.PublishMsgAsync(entryMsg(seq, body))
	if err != nil {
		return Pending{}, fmt.Errorf("node: publish entry %d: %w", seq, err)
	}
	return Pending{fut: fut}, nil
}

// Wait waits at most timeout for the standby's acknowledgement.
func (p Pending) Wait(timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.fut.Ok():
		return nil
	case err := <-p.fut.Err():
		return publishErr(err)
	case <-t.C:
		return fmt.Errorf("node: no acknowledgement of the standby within %s", timeout)
	}
}

// Send publishes the entry of sequence seq and waits for the standby's
// acknowledgement, until ctx ends.
func (s *Sender) Send(ctx context.Context, seq uint64, body []byte) error {
	if _, err := s.js.PublishMsg(ctx, entryMsg(seq, body)); err != nil {
		return fmt.Errorf("node: send entry %d: %w", seq, publishErr(err))
	}
	return nil
}

func entryMsg(seq uint64, body []byte) *nats.Msg {
	msg := nats.NewMsg(StandbySubject)
	msg.Header.Set(SeqHeader, strconv.FormatUint(seq, 10))
	msg.Data = body
	return msg
}

// publishErr names the common failure: nothing listens on the subject.
func publishErr(err error) error {
	if errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders) {
		return fmt.Errorf("%w (%v)", ErrNoStandby, err)
	}
	return err
}
