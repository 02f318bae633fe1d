//go:build unix

package display

import (
	"syscall"
	"unsafe"
)

// writeNonBlocking is write(2) on a non-blocking socket, made without
// telling the Go scheduler it is in a system call.
//
// A broadcast makes thousands of such writes in a row, each a few tens of
// µs on loopback. Through syscall.Write every one of them marks the
// goroutine's P as in a system call, and the runtime's monitor, seeing a P
// in a call for longer than its 20 µs tick, takes the P away and wakes
// another thread to run it: measured with perf at 1,000 screens, that
// monitor and the thread hand-offs were a fifth of the server's CPU. The
// socket is non-blocking (Go opens every socket so), so the call never
// waits: it copies what fits and returns, EAGAIN when nothing does.
func writeNonBlocking(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
