package node_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/display/node"
)

// applied records what a standby's inbox applied, in order.
type applied struct {
	mu   sync.Mutex
	seqs []uint64
	fail int // the next fail calls return an error
}

func (a *applied) apply(seq uint64, body []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail > 0 {
		a.fail--
		return errors.New("not now")
	}
	if string(body) != "entry "+strconv.FormatUint(seq, 10) {
		return errors.New("wrong body " + string(body))
	}
	a.seqs = append(a.seqs, seq)
	return nil
}

func (a *applied) waitFor(t *testing.T, n int) []uint64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a.mu.Lock()
		got := append([]uint64(nil), a.seqs...)
		a.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("applied %v, want %d entries", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pair starts a primary node and a standby node linked to it as a leaf.
func startStandby(t *testing.T, dir string, primary *node.Node) *node.Node {
	t.Helper()
	n, err := node.Start(node.Config{Dir: dir, Host: "127.0.0.1", Secret: testSecret, Log: quiet, Remote: primary.LeafAddr().String()})
	if err != nil {
		t.Fatalf("start the standby's node: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for primary.LeafLinks() == 0 || n.LeafLinks() == 0 {
		if time.Now().After(deadline) {
			n.Close()
			t.Fatal("the leaf link did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

func inbox(t *testing.T, n *node.Node, a *applied) *node.Inbox {
	t.Helper()
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	in, err := n.Inbox(nc, a.apply)
	if err != nil {
		t.Fatalf("Inbox: %v", err)
	}
	t.Cleanup(func() { in.Stop(); nc.Close() })
	return in
}

func sender(t *testing.T, n *node.Node) *node.Sender {
	t.Helper()
	nc, err := n.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	s, err := n.Sender(nc)
	if err != nil {
		t.Fatalf("Sender: %v", err)
	}
	return s
}

// send publishes entry seq and waits for the standby's acknowledgement.
func send(s *node.Sender, seq uint64) error {
	p, err := s.Start(seq, []byte("entry "+strconv.FormatUint(seq, 10)))
	if err != nil {
		return err
	}
	return p.Wait(2 * time.Second)
}

// waitForInterest retries the first publish until the standby's stream is
// known across the link (interest travels over the leaf link shortly
// after the stream is created).
func waitForInterest(t *testing.T, s *node.Sender, seq uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := send(s, seq)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby's stream never acknowledged: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTheStandbyAcknowledgesFromItsOwnStreamAndAppliesInOrder(t *testing.T) {
	primary := start(t, t.TempDir())
	if primary.LeafAddr() == nil {
		t.Fatal("no leaf listener")
	}
	standby := startStandby(t, t.TempDir(), primary)
	defer standby.Close()
	var a applied
	a.fail = 2 // the first entry is refused twice, then applied: order holds
	inbox(t, standby, &a)
	s := sender(t, primary)
	waitForInterest(t, s, 1)
	for seq := uint64(2); seq <= 50; seq++ {
		if err := send(s, seq); err != nil {
			t.Fatalf("entry %d: %v", seq, err)
		}
	}
	got := a.waitFor(t, 50)
	for i, seq := range got {
		if seq != uint64(i+1) {
			t.Fatalf("applied %v, want 1…50 in order", got)
		}
	}
}

func TestWithoutAStandbyAPublishFailsAtOnce(t *testing.T) {
	primary := start(t, t.TempDir())
	s := sender(t, primary)
	startAt := time.Now()
	err := send(s, 1)
	if !errors.Is(err, node.ErrNoStandby) {
		t.Fatalf("err = %v, want ErrNoStandby", err)
	}
	if d := time.Since(startAt); d > time.Second {
		t.Fatalf("took %s; a publish nobody listens to fails at once", d)
	}
}

func TestAnEntryAcknowledgedSurvivesTheStandbysCrash(t *testing.T) {
	primary := start(t, t.TempDir())
	dir := t.TempDir()
	standby := startStandby(t, dir, primary)
	var a applied
	nc, err := standby.Connect()
	if err != nil {
		t.Fatal(err)
	}
	in, err := standby.Inbox(nc, a.apply)
	if err != nil {
		t.Fatal(err)
	}
	in.Stop() // the engine stops applying: entries wait in the stream
	s := sender(t, primary)
	waitForInterest(t, s, 1)
	for seq := uint64(2); seq <= 5; seq++ {
		if err := send(s, seq); err != nil {
			t.Fatalf("entry %d: %v", seq, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	in2, err := standby.Inbox(nc, func(uint64, []byte) error { return errors.New("hold") })
	if err != nil {
		t.Fatal(err)
	}
	waiting, newest, err := in2.Held(ctx)
	in2.Stop()
	if err != nil || waiting != 5 || newest != 5 {
		t.Fatalf("Held = %d, %d, %v; want 5 waiting, newest 5", waiting, newest, err)
	}
	nc.Close()
	standby.Close()

	// The standby comes back: what was acknowledged is applied, in order.
	standby = startStandby(t, dir, primary)
	defer standby.Close()
	var b applied
	inbox(t, standby, &b)
	got := b.waitFor(t, 5)
	for i, seq := range got {
		if seq != uint64(i+1) {
			t.Fatalf("applied %v after the restart, want 1…5", got)
		}
	}
}
