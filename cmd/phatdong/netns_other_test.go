//go:build !linux

package main

// maybeForward does nothing: the namespace tests are Linux's.
func maybeForward() {}
