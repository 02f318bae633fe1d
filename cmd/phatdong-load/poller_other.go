//go:build !linux

package main

import "errors"

// defaultReader is the --reader the tool uses unless told otherwise: a
// goroutine per client, since the epoll poller (epoll_linux.go) needs Linux.
const defaultReader = "goroutine"

// pollDialer is never used without Linux: no poller is ever made.
var pollDialer = dialer

// poller stands in for the Linux epoll reader, which this system lacks.
type poller struct{}

// newPoller refuses: the epoll reader needs Linux.
func newPoller(int) (*poller, error) {
	return nil, errors.New("--reader epoll needs Linux; use --reader goroutine")
}

func (p *poller) add(*screen) error   { return errors.New("poller: needs Linux") }
func (p *poller) run(<-chan struct{}) {}
func (p *poller) close()              {}
