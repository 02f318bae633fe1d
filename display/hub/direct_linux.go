//go:build linux

package hub

import (
	"errors"
	"net"
	"syscall"
	"unsafe"
)

// directWrites says the sockets here can take a broadcast's frame at
// once, without a writer goroutine.
const directWrites = true

// rawWriter writes to a TCP socket through its descriptor. Go keeps its
// sockets non-blocking, so write(2) copies what fits in the send buffer
// and returns; EAGAIN when nothing fits. Its fields carry one write's
// bytes and result through rc.Write, so that a write allocates nothing
// (a closure would, for each of a broadcast's thousands of writes); the
// client's lock keeps writes to one at a time.
type rawWriter struct {
	rc    syscall.RawConn
	write func(fd uintptr) bool // w.writeFD, bound once
	b     []byte
	n     int
	err   error
}

// newDirectWriter is the direct writer of a plain TCP socket; nil for any
// other connection (TLS, a pipe in a test).
func newDirectWriter(c net.Conn) directWriter {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	w := &rawWriter{rc: rc}
	w.write = w.writeFD
	return w
}

func (w *rawWriter) tryWrite(b []byte) (int, error) {
	w.b = b
	// rc.Write holds the descriptor open while writeFD runs, so a socket
	// closed meanwhile is never written under another's number.
	werr := w.rc.Write(w.write)
	n, err := w.n, w.err
	w.b, w.err = nil, nil
	switch {
	case werr != nil:
		return 0, werr
	case errors.Is(err, syscall.EAGAIN):
		return 0, nil
	}
	return max(n, 0), err
}

// writeFD is write(2) made without telling the scheduler it is in a
// system call (RawSyscall): the socket is non-blocking, so the call never
// waits, and a broadcast makes thousands of them in a row. Through
// syscall.Write each marks the goroutine's processor as in a system call,
// and the runtime's monitor hands it to another thread when a call runs
// long: at 5,000 screens that made the fan-out's p99 93 ms against 80 ms
// this way (docs/performance.md, "The hub").
func (w *rawWriter) writeFD(fd uintptr) bool {
	r, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(unsafe.SliceData(w.b))), uintptr(len(w.b)))
	w.n, w.err = int(r), nil
	if errno != 0 {
		w.n, w.err = -1, errno
	}
	return true // never wait: what is left goes to the writer goroutine
}
