//go:build linux

package hub

import (
	"errors"
	"net"
	"syscall"
)

// directWrites says the sockets here can take a broadcast's frame at
// once, without a writer goroutine.
const directWrites = true

// rawWriter writes to a TCP socket through its descriptor. Go keeps its
// sockets non-blocking, so write(2) copies what fits in the send buffer
// and returns; EAGAIN when nothing fits.
type rawWriter struct{ rc syscall.RawConn }

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
	return rawWriter{rc}
}

func (w rawWriter) tryWrite(b []byte) (int, error) {
	var n int
	var err error
	// rc.Write holds the descriptor open while the function runs, so a
	// socket closed meanwhile is never written under another's number.
	if werr := w.rc.Write(func(fd uintptr) bool {
		n, err = syscall.Write(int(fd), b)
		return true // never wait: what is left goes to the writer goroutine
	}); werr != nil {
		return 0, werr
	}
	if errors.Is(err, syscall.EAGAIN) {
		return 0, nil
	}
	return max(n, 0), err
}
