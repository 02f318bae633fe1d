//go:build !linux && !darwin && !freebsd && !windows

package main

import (
	"errors"
	"runtime"
)

// diskFree is not known on this system.
func diskFree(string) (free, total uint64, err error) {
	return 0, 0, errors.New("free disk space is not known on " + runtime.GOOS)
}
