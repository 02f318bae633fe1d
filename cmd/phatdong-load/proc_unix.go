//go:build unix

package main

import (
	"fmt"
	"syscall"
	"time"
)

// raiseFileLimit lifts the soft limit on open files to what need asks (up
// to the hard limit): every client is a socket. The server process needs
// as many; Go raises its soft limit to the hard one by itself.
//
// On loopback every client also takes an ephemeral port
// (/proc/sys/net/ipv4/ip_local_port_range, about 28,000 by default), and a
// closed connection keeps its port in TIME_WAIT for a minute: several runs
// of 5,000 clients in a row can run out.
func raiseFileLimit(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("read the open-file limit: %w", err)
	}
	if lim.Cur >= uint64(need) {
		return nil
	}
	lim.Cur = min(uint64(need), lim.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("raise the open-file limit to %d: %w", lim.Cur, err)
	}
	if lim.Cur < uint64(need) {
		return fmt.Errorf("the open-file limit is %d (hard), %d clients need about %d: raise it (ulimit -Hn)", lim.Max, need-64, need)
	}
	return nil
}

// ownCPU is the CPU time this process has used.
func ownCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
