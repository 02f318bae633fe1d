package node_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/phatdong/phatdong/display/node"
)

// publishN publishes entries 1..count to the journal of n and waits,
// through Close, until every one was acknowledged.
func publishN(t *testing.T, n *node.Node, from, count int) {
	t.Helper()
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	j, err := n.Journal(nc)
	if err != nil {
		t.Fatalf("Journal: %v", err)
	}
	for seq := from; seq < from+count; seq++ {
		j.Publish(uint64(seq), fmt.Appendf(nil, `{"seq":%d}`, seq))
	}
	j.Close()
	if got := j.Stats(); got != (node.JournalStats{Published: uint64(count)}) {
		t.Fatalf("Stats = %+v, want %d published", got, count)
	}
	j.Publish(uint64(from+count), []byte(`{}`))
	if got := j.Stats().Dropped; got != 1 {
		t.Fatalf("after Close: dropped = %d, want 1", got)
	}
}

// readJournal reads the whole journal stream from outside, over TCP with
// the secret, with an ordered consumer, and returns the sequences found
// in the header and the bodies.
func readJournal(t *testing.T, n *node.Node) (seqs []uint64, bodies []string) {
	t.Helper()
	nc := dial(t, n, nats.Token(testSecret))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := js.Stream(ctx, node.JournalStream)
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := info.Config
	if cfg.Storage != jetstream.FileStorage || cfg.MaxMsgs != node.JournalMaxMsgs || cfg.MaxBytes != node.JournalMaxBytes ||
		len(cfg.Subjects) != 1 || cfg.Subjects[0] != node.JournalSubject {
		t.Fatalf("stream config %+v", cfg)
	}
	total := int(info.State.Msgs)
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for range total {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("after %d messages of %d: %v", len(seqs), total, err)
		}
		seq, err := strconv.ParseUint(msg.Headers().Get(node.SeqHeader), 10, 64)
		if err != nil {
			t.Fatalf("message %d: header %s: %v", len(seqs), node.SeqHeader, err)
		}
		seqs = append(seqs, seq)
		bodies = append(bodies, string(msg.Data()))
	}
	return seqs, bodies
}

func TestJournalPublishesInOrderAndSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	n := start(t, dir)
	publishN(t, n, 1, 50)
	check := func(want int) {
		t.Helper()
		seqs, bodies := readJournal(t, n)
		if len(seqs) != want {
			t.Fatalf("read %d messages, want %d", len(seqs), want)
		}
		for i, seq := range seqs {
			if seq != uint64(i+1) || bodies[i] != fmt.Sprintf(`{"seq":%d}`, i+1) {
				t.Fatalf("message %d: seq %d body %s, want seq %d", i, seq, bodies[i], i+1)
			}
		}
	}
	check(50)

	n.Close()
	n = start(t, dir)
	check(50)
	publishN(t, n, 51, 10)
	check(60)
}

func TestJournalStoresARepublishedSeqOnce(t *testing.T) {
	n := start(t, t.TempDir())
	publishN(t, n, 1, 3)
	publishN(t, n, 3, 2) // seq 3 again, then 4
	seqs, _ := readJournal(t, n)
	if fmt.Sprint(seqs) != "[1 2 3 4]" {
		t.Fatalf("seqs = %v, want [1 2 3 4]", seqs)
	}
}

func TestJournalBurstIsCountedNeverWaitedFor(t *testing.T) {
	n := start(t, t.TempDir())
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	j, err := n.Journal(nc)
	if err != nil {
		t.Fatal(err)
	}
	const total = 1500 // more than the queue holds
	for seq := 1; seq <= total; seq++ {
		j.Publish(uint64(seq), fmt.Appendf(nil, `{"seq":%d}`, seq))
	}
	j.Close()
	st := j.Stats()
	if st.Published+st.Failed+st.Dropped != total || st.Failed != 0 {
		t.Fatalf("Stats = %+v, want %d accounted for, none failed", st, total)
	}
	seqs, _ := readJournal(t, n)
	if uint64(len(seqs)) != st.Published {
		t.Fatalf("the stream holds %d messages, %d were published", len(seqs), st.Published)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("seq %d after %d: out of order", seqs[i], seqs[i-1])
		}
	}
}

func TestJournalOnAClosedConnectionCountsFailures(t *testing.T) {
	n := start(t, t.TempDir())
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	j, err := n.Journal(nc)
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	for seq := 1; seq <= 3; seq++ {
		j.Publish(uint64(seq), []byte(`{}`))
	}
	j.Close()
	if got := j.Stats(); got != (node.JournalStats{Failed: 3}) {
		t.Fatalf("Stats = %+v, want 3 failed", got)
	}
}
