package main

import "sync"

// serverTimes records each state's serverTime (when the server encoded
// it) and how many clients have it, by seq.
type serverTimes struct {
	mu    sync.Mutex
	m     map[uint64]float64
	count map[uint64]int
	want  uint64        // the seq await waits for
	need  int           // and how many clients must have it
	ready chan struct{} // closed when they do
}

func newServerTimes() *serverTimes {
	return &serverTimes{m: map[uint64]float64{}, count: map[uint64]int{}}
}

func (s *serverTimes) put(seq uint64, t float64) {
	s.mu.Lock()
	if _, ok := s.m[seq]; !ok {
		s.m[seq] = t
	}
	s.count[seq]++
	if s.ready != nil && seq == s.want && s.count[seq] >= s.need {
		close(s.ready)
		s.ready = nil
	}
	s.mu.Unlock()
}

func (s *serverTimes) get(seq uint64) (float64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.m[seq]
	return t, ok
}

// await returns a channel closed once need clients have the state seq.
func (s *serverTimes) await(seq uint64, need int) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	if s.count[seq] >= need {
		close(ch)
		return ch
	}
	s.want, s.need, s.ready = seq, need, ch
	return ch
}
