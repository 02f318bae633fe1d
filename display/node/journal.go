package node

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The journal stream: every committed command, in order, as the primary
// committed it. File storage, limits retention: the oldest messages go
// past JournalMaxMsgs messages or JournalMaxBytes bytes, far more than a
// ceremony's few thousand commands.
const (
	JournalStream   = "PHATDONG_JOURNAL"
	JournalSubject  = "phatdong.journal"
	JournalMaxMsgs  = 100_000
	JournalMaxBytes = 256 << 20
	// SeqHeader carries the engine's sequence of the entry in a message.
	SeqHeader = "Phatdong-Seq"
)

// Bounds of the journal's publisher.
const (
	journalQueue   = 1024             // entries waiting to be published
	publishTimeout = 5 * time.Second  // one publish and its acknowledgement
	drainTimeout   = 10 * time.Second // publishing what is queued on Close
	setupTimeout   = 10 * time.Second // creating the stream
)

// JournalStats counts what the journal's publisher did.
type JournalStats struct {
	Published uint64 `json:"published"` // acknowledged by JetStream
	Failed    uint64 `json:"failed"`    // publish failed or was not acknowledged
	Dropped   uint64 `json:"dropped"`   // the queue was full, or the journal closed
}

// Journal publishes committed entries to the journal stream without ever
// making its caller wait: Publish queues, one goroutine publishes in
// order and waits for each acknowledgement. A full queue or a failed
// publish is logged and counted, never retried: the show goes on, and
// each message carries its sequence, so a reader sees any gap.
type Journal struct {
	js  jetstream.JetStream
	log *slog.Logger
	q   chan journalItem

	closeOnce sync.Once
	closed    atomic.Bool
	stop      chan struct{}
	done      chan struct{}

	published, failed, dropped atomic.Uint64
}

type journalItem struct {
	seq  uint64
	body []byte
}

// Journal creates (or updates) the journal stream and starts its
// publisher on nc, a connection to the node (Connect). Close the journal
// before nc.
func (n *Node) Journal(nc *nats.Conn) (*Journal, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("node: jetstream: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	_, err = js.CreateOrUpdateStream(ctx, JournalStreamConfig())
	if err != nil {
		return nil, fmt.Errorf("node: create the stream %s: %w", JournalStream, err)
	}
	j := &Journal{js: js, log: n.log.With("part", "journal"), q: make(chan journalItem, journalQueue),
		stop: make(chan struct{}), done: make(chan struct{})}
	go j.run()
	return j, nil
}

// JournalStreamConfig is the journal stream's configuration.
func JournalStreamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        JournalStream,
		Description: "phatdong: every committed command, in order",
		Subjects:    []string{JournalSubject},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Discard:     jetstream.DiscardOld,
		MaxMsgs:     JournalMaxMsgs,
		MaxBytes:    JournalMaxBytes,
		Replicas:    1,
	}
}

// Publish queues the entry of sequence seq (its body already encoded)
// and returns at once. It is safe to call with a lock held.
func (j *Journal) Publish(seq uint64, body []byte) {
	if j.closed.Load() {
		j.dropped.Add(1)
		return
	}
	select {
	case j.q <- journalItem{seq: seq, body: body}:
	default:
		if n := j.dropped.Add(1); n == 1 || n%100 == 0 {
			j.log.Warn("journal queue full; entry not published", "seq", seq, "dropped", n)
		}
	}
}

// Stats returns the publisher's counts.
func (j *Journal) Stats() JournalStats {
	return JournalStats{Published: j.published.Load(), Failed: j.failed.Load(), Dropped: j.dropped.Load()}
}

// Close publishes what is queued (for at most drainTimeout) and stops the
// publisher. Later Publish calls are counted as dropped.
func (j *Journal) Close() {
	j.closeOnce.Do(func() {
		j.closed.Store(true)
		close(j.stop)
		<-j.done
	})
}

func (j *Journal) run() {
	defer close(j.done)
	for {
		select {
		case it := <-j.q:
			j.send(it)
		case <-j.stop:
			j.drain()
			return
		}
	}
}

// drain publishes what is left in the queue, until drainTimeout.
func (j *Journal) drain() {
	deadline := time.Now().Add(drainTimeout)
	for {
		select {
		case it := <-j.q:
			if time.Now().After(deadline) {
				j.dropped.Add(1)
				continue
			}
			j.send(it)
		default:
			return
		}
	}
}

// send publishes one entry and waits for JetStream's acknowledgement.
// The message id is the sequence, so a message published twice within
// the stream's duplicate window is stored once.
func (j *Journal) send(it journalItem) {
	seq := strconv.FormatUint(it.seq, 10)
	msg := nats.NewMsg(JournalSubject)
	msg.Header.Set(SeqHeader, seq)
	msg.Data = it.body
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	if _, err := j.js.PublishMsg(ctx, msg, jetstream.WithMsgID(seq)); err != nil {
		j.failed.Add(1)
		j.log.Warn("journal entry not published", "seq", it.seq, "err", err)
		return
	}
	j.published.Add(1)
}
