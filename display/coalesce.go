package display

import (
	"sync"
	"time"
)

// coalescer runs send at most once per gap, however often it is asked:
// the presence's devices lists and the servers message go out through
// one each. The first call after a quiet gap runs at once (on a timer
// goroutine); later ones wait for the gap and share one run.
type coalescer struct {
	send func() // runs on the timer's goroutine, one at a time

	mu        sync.Mutex
	timer     *time.Timer
	due       time.Time // when the scheduled run fires; zero when none
	lastFlush time.Time
	stopped   bool

	flushMu sync.Mutex // one run at a time, so messages go out in order
}

// schedule asks for a run no sooner than gap after the last one.
func (k *coalescer) schedule(gap time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stopped {
		return
	}
	now := time.Now()
	due := k.lastFlush.Add(gap)
	if due.Before(now) {
		due = now
	}
	if !k.due.IsZero() && !k.due.After(due) {
		return // a run is already due soon enough
	}
	k.due = due
	if k.timer == nil {
		k.timer = time.AfterFunc(due.Sub(now), k.flush)
	} else {
		k.timer.Reset(due.Sub(now))
	}
}

// flush runs send, unless stopped.
func (k *coalescer) flush() {
	k.flushMu.Lock()
	defer k.flushMu.Unlock()
	k.mu.Lock()
	if k.stopped {
		k.mu.Unlock()
		return
	}
	k.due, k.lastFlush = time.Time{}, time.Now()
	k.mu.Unlock()
	k.send()
}

// stop cancels any run to come.
func (k *coalescer) stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.stopped = true
	if k.timer != nil {
		k.timer.Stop()
	}
}
