//go:build linux

package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/gorilla/websocket"
)

// defaultReader is the --reader the tool uses unless told otherwise: the
// epoll poller on Linux, a goroutine per client elsewhere (poller_other.go).
const defaultReader = "epoll"

// pollDialer dials the sockets the poller reads, which leave Go's poller
// (detachable).
var pollDialer = func() websocket.Dialer { d := dialer; d.NetDialContext = dialDetachable; return d }()

// poller reads every client socket from one goroutine, with epoll: one
// read per message. A message's arrival is the moment epoll reported its
// socket readable: the bytes were in this machine's kernel then, as they
// would be on a screen of its own; reading the sockets of one report one
// after the other on the tool's single core does not delay it. Go's own
// netpoller costs a goroutine wake-up and a second read (the one that finds
// the socket empty) per message; on the two cores the tool shares with the
// server, that overhead would be measured as server latency.
//
// The kernel also stamps each segment as it reaches the socket
// (SO_TIMESTAMPNS): the instant the screen's machine had the bytes, before
// this tool's one core got round to asking. Both are recorded.
type poller struct {
	epfd  int
	mu    sync.Mutex
	slots []atomic.Pointer[screen] // by the slot number in each epoll event
	next  int                      // the next slot to hand out
}

// newPoller watches up to n sockets.
func newPoller(n int) (*poller, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll: %w", err)
	}
	return &poller{epfd: epfd, slots: make([]atomic.Pointer[screen], n)}, nil
}

// add watches a freshly dialled socket. Nothing may have been read from it
// through its websocket.Conn, or the poller would miss those bytes.
func (p *poller) add(s *screen) error {
	dc, ok := s.conn.NetConn().(*detachable)
	if !ok {
		return errors.New("poller: the socket was not dialled detachable")
	}
	p.mu.Lock()
	slot := p.next
	if slot < len(p.slots) {
		p.next++
	}
	p.mu.Unlock()
	if slot >= len(p.slots) {
		return fmt.Errorf("poller: more than %d sockets", len(p.slots))
	}
	fd, err := dc.detach()
	if err != nil {
		return fmt.Errorf("poller: %w", err)
	}
	s.fd = fd
	if err := syscall.SetsockoptInt(s.fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1); err != nil {
		return fmt.Errorf("poller: receive timestamps: %w", err)
	}
	s.slot = slot // before the Store that publishes s to the reader
	p.slots[slot].Store(s)
	// Edge-triggered: a socket is reported once per arrival, and not
	// polled again after it has been read empty.
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | epollET, Fd: int32(s.fd), Pad: int32(slot)}
	if err := syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, s.fd, &ev); err != nil {
		p.slots[slot].Store(nil)
		return fmt.Errorf("poller: watch socket: %w", err)
	}
	return nil
}

// epollET is EPOLLET, which package syscall spells as a negative int.
const epollET = 1 << 31

// run reads until stop is closed.
func (p *poller) run(stop <-chan struct{}) {
	events := make([]syscall.EpollEvent, 1024)
	buf := make([]byte, 64<<10)
	oob := make([]byte, syscall.CmsgSpace(16)) // one struct timespec
	for {
		select {
		case <-stop:
			return
		default:
		}
		n, err := syscall.EpollWait(p.epfd, events, 100)
		at := nowMs()
		if err != nil && !errors.Is(err, syscall.EINTR) {
			return
		}
		for _, ev := range events[:max(n, 0)] {
			if s := p.slots[ev.Pad].Load(); s != nil {
				p.drain(s, buf, oob, at)
			}
		}
	}
}

// drain reads a reported socket until it is empty (the edge-triggered
// report comes once) and feeds what it read to the screen.
func (p *poller) drain(s *screen, buf, oob []byte, at float64) {
	for {
		k, oobn, _, _, err := syscall.Recvmsg(s.fd, buf, oob, syscall.MSG_DONTWAIT)
		switch {
		case k > 0:
			if !s.feed(buf[:k], at, kernelStamp(oob[:oobn])) {
				p.forget(s)
				return
			}
			if k < len(buf) {
				return // read empty: the next arrival is reported anew
			}
		case errors.Is(err, syscall.EINTR):
		case errors.Is(err, syscall.EAGAIN):
			return
		default: // closed by the server (k == 0), or broken
			s.closedWith(websocket.CloseAbnormalClosure)
			p.forget(s)
			return
		}
	}
}

// kernelStamp is the receive time, in Unix ms, in the control message of
// a socket with SO_TIMESTAMPNS, or 0. For a read of several segments it is
// the last one's: a later, never earlier, arrival.
//
// It reads the one control message the socket asks for in place: this runs
// once per message on the tool's only core, where an allocating parse
// would be counted against the server.
func kernelStamp(oob []byte) float64 {
	if len(oob) < syscall.CmsgLen(0) {
		return 0
	}
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
	if h.Level != syscall.SOL_SOCKET || h.Type != syscall.SCM_TIMESTAMPNS || int(h.Len) > len(oob) {
		return 0
	}
	data := oob[syscall.CmsgLen(0):h.Len]
	switch len(data) { // a struct timespec of this platform's word size
	case 16:
		sec, nsec := binary.NativeEndian.Uint64(data), binary.NativeEndian.Uint64(data[8:])
		return float64(int64(sec))*1e3 + float64(int64(nsec))/1e6
	case 8:
		sec, nsec := binary.NativeEndian.Uint32(data), binary.NativeEndian.Uint32(data[4:])
		return float64(int32(sec))*1e3 + float64(int32(nsec))/1e6
	}
	return 0
}

// forget stops watching a socket whose reading has ended.
func (p *poller) forget(s *screen) {
	if !p.slots[s.slot].CompareAndSwap(s, nil) {
		return // forgotten already
	}
	_ = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_DEL, s.fd, nil)
	s.end()
}

func (p *poller) close() { syscall.Close(p.epfd) }
