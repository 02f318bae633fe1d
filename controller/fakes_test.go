package controller_test

import (
	"sync"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// fakeClock is a clock the test moves by hand. Its timers fire when
// Advance reaches them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
	armed  chan struct{} // signalled whenever a timer is set
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 4, 14, 8, 0, 0, 0, time.UTC), armed: make(chan struct{}, 1)}
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, fakeTimer{at: c.now.Add(d), c: ch})
	select {
	case c.armed <- struct{}{}:
	default:
	}
	return ch
}

// waitTimer blocks until a timer is set for at; it fails the test after
// a few seconds of real time.
func (c *fakeClock) waitTimer(t *testing.T, at time.Time) {
	t.Helper()
	giveUp := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		for _, tm := range c.timers {
			if tm.at.Equal(at) {
				c.mu.Unlock()
				return
			}
		}
		c.mu.Unlock()
		select {
		case <-c.armed:
		case <-giveUp:
			t.Fatalf("no timer was set for %s", at.UTC().Format(time.TimeOnly))
		}
	}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if tm.at.After(c.now) {
			kept = append(kept, tm)
			continue
		}
		tm.c <- c.now
	}
	c.timers = kept
}

// memStore is an in-memory controller.Store that can be told to fail.
type memStore struct {
	mu      sync.Mutex
	saved   *controller.Saved
	journal []controller.Entry
	answers map[string]controller.Answer
	fail    error
}

func newMemStore() *memStore { return &memStore{answers: map[string]controller.Answer{}} }

func (m *memStore) Load() (*controller.Saved, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.saved == nil {
		return nil, nil
	}
	s := *m.saved
	s.State = s.State.Clone()
	return &s, nil
}

func (m *memStore) Commit(rec controller.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	show := rec.Show
	if show == nil {
		show = m.saved.Show
	}
	m.saved = &controller.Saved{Show: show, State: rec.State.Clone()}
	m.add(rec.Entry)
	return nil
}

func (m *memStore) Refuse(e controller.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.add(e)
	return nil
}

func (m *memStore) add(e controller.Entry) {
	m.journal = append(m.journal, e)
	if e.Command.ID != "" {
		m.answers[e.Command.ID] = e.Answer
	}
}

func (m *memStore) Answer(id string) (controller.Answer, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.answers[id]
	return a, ok, nil
}

func (m *memStore) Entries(fn func(controller.Entry) error) error {
	m.mu.Lock()
	entries := append([]controller.Entry(nil), m.journal...)
	m.mu.Unlock()
	for _, e := range entries {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// recorder is a controller.Publisher that keeps what it was given.
type recorder struct {
	mu    sync.Mutex
	snaps []controller.Snapshot
}

func (r *recorder) Publish(s controller.Snapshot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.snaps = append(r.snaps, s)
}

func (r *recorder) last() controller.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snaps[len(r.snaps)-1]
}
