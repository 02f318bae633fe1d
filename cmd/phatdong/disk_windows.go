//go:build windows

package main

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// diskFree is the space free to this user, and the size, of the volume
// holding path.
func diskFree(path string) (free, total uint64, err error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, 0, fmt.Errorf("disk of %s: %w", path, err)
	}
	var all uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &all); err != nil {
		return 0, 0, fmt.Errorf("disk of %s: %w", path, err)
	}
	return free, total, nil
}
