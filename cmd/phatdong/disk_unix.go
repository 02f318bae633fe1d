//go:build linux || darwin || freebsd

package main

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// diskFree is the space free to this user, and the size, of the file
// system holding path.
func diskFree(path string) (free, total uint64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, fmt.Errorf("statfs %s: %w", path, err)
	}
	bsize := uint64(st.Bsize) //nolint:unconvert // int64 on Linux, uint32 on macOS
	return st.Bavail * bsize, st.Blocks * bsize, nil
}
