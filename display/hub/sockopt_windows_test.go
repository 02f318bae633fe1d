//go:build windows

package hub

import "syscall"

// setReceiveBuffer sets a socket's SO_RCVBUF, to make a slow reader.
func setReceiveBuffer(fd uintptr, n int) error {
	return syscall.SetsockoptInt(syscall.Handle(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)
}
