//go:build !unix

package main

import "time"

// raiseFileLimit has nothing to raise on a system without Unix file
// limits (Windows): the number of sockets is bounded elsewhere.
func raiseFileLimit(int) error { return nil }

// ownCPU is the CPU time this process has used: unknown here, 0.
func ownCPU() time.Duration { return 0 }
