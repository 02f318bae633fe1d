//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

// TestDetachKeepsTheConnection checks that a detached socket still talks
// to its peer both ways after Go has let go of it, reads only through its
// descriptor, and closes the connection when closed.
func TestDetachKeepsTheConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	peer := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			peer <- c
		}
	}()

	nc, err := dialDetachable(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	d := nc.(*detachable)
	server := <-peer
	t.Cleanup(func() { server.Close() })
	server.SetDeadline(time.Now().Add(5 * time.Second))

	// Before detach it is the dialled connection.
	if _, err := d.Write([]byte("hello\n")); err != nil {
		t.Fatalf("write before detach: %v", err)
	}
	r := bufio.NewReader(server)
	if line, err := r.ReadString('\n'); err != nil || line != "hello\n" {
		t.Fatalf("the peer read %q, %v; want hello", line, err)
	}

	fd, err := d.detach()
	if err != nil {
		t.Fatal(err)
	}
	if again, err := d.detach(); err != nil || again != fd {
		t.Errorf("a second detach gave %d, %v; want the same descriptor %d", again, err, fd)
	}
	if _, err := d.Read(make([]byte, 8)); !errors.Is(err, errDetachedRead) {
		t.Errorf("Read after detach: %v, want errDetachedRead", err)
	}
	if err := d.SetWriteDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Errorf("SetWriteDeadline after detach: %v", err)
	}

	// Writes go through the descriptor; a past deadline no longer applies.
	if _, err := d.Write([]byte("after\n")); err != nil {
		t.Fatalf("write after detach: %v", err)
	}
	if line, err := r.ReadString('\n'); err != nil || line != "after\n" {
		t.Fatalf("the peer read %q, %v; want after", line, err)
	}
	// The peer's bytes reach the descriptor.
	if _, err := server.Write([]byte("to the poller")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	var n int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		n, err = syscall.Read(fd, buf)
		if !errors.Is(err, syscall.EAGAIN) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || string(buf[:n]) != "to the poller" {
		t.Fatalf("read on the descriptor: %q, %v", buf[:max(n, 0)], err)
	}

	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	if _, err := d.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v, want net.ErrClosed", err)
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Errorf("the peer read %v after Close, want EOF", err)
	}
}
