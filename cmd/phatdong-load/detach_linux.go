//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"
)

// detachable is a client socket that leaves Go's network poller once its
// websocket handshake is done, so that only the tool's own epoll watches
// it.
//
// Every socket Go dials is registered with the runtime's epoll. With the
// poller blocked in its own epoll_wait, the runtime parks another thread in
// its epoll_wait, and every message the server writes then wakes both: on a
// machine whose two cores are shared with the server, the second wake-up
// and the scheduling it sets off were about a tenth of the tool's CPU, and
// the server's write paid for waking two waiters instead of one.
//
// Until detach it is the dialled connection; after, it writes with plain
// blocking system calls (the few masked frames a screen sends: clock-sync
// requests, pongs, the goodbye) and reads nothing: the poller does.
type detachable struct {
	net.Conn // the dialled connection, until detach

	mu       sync.Mutex
	fd       int // the duplicate the tool keeps; -1 before detach and after close
	detached bool
}

var errDetachedRead = errors.New("detached socket: the poller reads it")

// dialDetachable is a websocket.Dialer's NetDialContext.
func dialDetachable(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &detachable{Conn: c, fd: -1}, nil
}

// detach takes the socket out of Go's poller and returns its descriptor.
// The descriptor is a duplicate made before the dialled one is closed, so
// the connection itself stays open; it is made blocking, with a 10 s send
// timeout in place of write deadlines.
func (d *detachable) detach() (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.detached {
		return d.fd, nil
	}
	sc, ok := d.Conn.(syscall.Conn)
	if !ok {
		return -1, errors.New("detach: not a socket")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1, fmt.Errorf("detach: %w", err)
	}
	fd := -1
	var dupErr error
	if err := raw.Control(func(orig uintptr) { fd, dupErr = syscall.Dup(int(orig)) }); err != nil {
		return -1, fmt.Errorf("detach: %w", err)
	}
	if dupErr != nil {
		return -1, fmt.Errorf("detach: duplicate the socket: %w", dupErr)
	}
	syscall.CloseOnExec(fd)
	// Go removes its descriptor from the runtime's epoll, then closes it;
	// the duplicate keeps the connection.
	if err := d.Conn.Close(); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("detach: leave Go's poller: %w", err)
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("detach: blocking writes: %w", err)
	}
	tv := syscall.NsecToTimeval(int64(10 * time.Second))
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("detach: send timeout: %w", err)
	}
	d.fd, d.detached = fd, true
	return fd, nil
}

// Read reads the dialled connection; after detach the poller reads.
func (d *detachable) Read(b []byte) (int, error) {
	if d.isDetached() {
		return 0, errDetachedRead
	}
	return d.Conn.Read(b)
}

// Write writes all of b.
func (d *detachable) Write(b []byte) (int, error) {
	if !d.isDetached() {
		return d.Conn.Write(b)
	}
	d.mu.Lock()
	fd := d.fd
	d.mu.Unlock()
	if fd < 0 {
		return 0, net.ErrClosed
	}
	n := 0
	for n < len(b) {
		k, err := syscall.Write(fd, b[n:])
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("write: %w", err)
		}
		n += k
	}
	return n, nil
}

// Close closes the socket.
func (d *detachable) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.detached {
		return d.Conn.Close()
	}
	if d.fd < 0 {
		return nil
	}
	err := syscall.Close(d.fd)
	d.fd = -1
	return err
}

// SetDeadline applies to the dialled connection; after detach the send
// timeout stands in for it.
func (d *detachable) SetDeadline(t time.Time) error {
	if d.isDetached() {
		return nil
	}
	return d.Conn.SetDeadline(t)
}

// SetReadDeadline: see SetDeadline.
func (d *detachable) SetReadDeadline(t time.Time) error {
	if d.isDetached() {
		return nil
	}
	return d.Conn.SetReadDeadline(t)
}

// SetWriteDeadline: see SetDeadline.
func (d *detachable) SetWriteDeadline(t time.Time) error {
	if d.isDetached() {
		return nil
	}
	return d.Conn.SetWriteDeadline(t)
}

func (d *detachable) isDetached() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.detached
}
