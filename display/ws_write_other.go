//go:build !unix

package display

import "syscall"

// writeNonBlocking on a system without Unix sockets takes nothing and
// leaves every frame to the socket's writer goroutine.
func writeNonBlocking(fd uintptr, b []byte) (int, error) { return 0, syscall.EAGAIN }
