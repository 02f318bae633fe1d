//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// TestKernelArrivalPrecedesRead checks the epoll reader's two arrival
// times against a real server: the kernel's receive stamp exists for every
// state, is on the same clock as the tool's (within the state's trip), and
// is never after the moment the tool read the message.
func TestKernelArrivalPrecedesRead(t *testing.T) {
	base := testServer(t)
	cfg := config{reader: "epoll", base: base, clients: 8, changes: 3, token: "operator-token-1",
		syncClients: 0, settle: 100 * time.Millisecond, procs: 1, timeout: 5 * time.Second}
	ctx := context.Background()
	c, err := connect(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	a := newAPI(cfg)
	var seqs []uint64
	for i := range 3 {
		r, err := a.command(ctx, map[string]any{"type": "message", "text": fmt.Sprintf("Thử dấu thời gian %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, r.Answer.Seq)
		select {
		case <-c.times.await(r.Answer.Seq, len(c.screens)):
		case <-time.After(5 * time.Second):
			t.Fatalf("seq %d did not reach every screen", r.Answer.Seq)
		}
	}
	for i, s := range c.screens {
		for _, seq := range seqs {
			read, kernel := s.arrival(seq), s.kernelArrival(seq)
			if read == 0 || kernel == 0 {
				t.Fatalf("screen %d, seq %d: read at %.3f, in the kernel at %.3f; want both", i, seq, read, kernel)
			}
			if kernel > read {
				t.Errorf("screen %d, seq %d: the kernel stamp %.3f is %.3f ms after the read", i, seq, kernel, kernel-read)
			}
			if read-kernel > 1000 {
				t.Errorf("screen %d, seq %d: the kernel stamp is %.0f ms before the read: not the same clock?", i, seq, read-kernel)
			}
		}
	}
}
