package main

import (
	"encoding/binary"
	"time"

	"github.com/gorilla/websocket"
)

// feed parses the server's frames (never masked) from the bytes read at
// at, which the kernel received at inKernel (0 when unknown). It returns
// false once the server closed the socket.
func (s *screen) feed(data []byte, at, inKernel float64) bool {
	b := data
	if len(s.frame) > 0 {
		s.frame = append(s.frame, data...)
		b = s.frame
	}
	defer func() { s.frame = append(s.frame[:0], b...) }() // keep a partial frame
	for {
		if len(b) < 2 {
			return true
		}
		op, size, head := b[0]&0x0F, int(b[1]&0x7F), 2
		switch size {
		case 126:
			if len(b) < 4 {
				return true
			}
			size, head = int(binary.BigEndian.Uint16(b[2:])), 4
		case 127:
			if len(b) < 10 {
				return true
			}
			size, head = int(binary.BigEndian.Uint64(b[2:])), 10
		}
		if len(b) < head+size {
			return true
		}
		payload := b[head : head+size]
		switch op {
		case websocket.TextMessage:
			s.handle(payload, at, inKernel)
		case websocket.PingMessage:
			data := string(payload)
			go func() {
				s.wmu.Lock()
				defer s.wmu.Unlock()
				_ = s.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
			}()
		case websocket.CloseMessage:
			code := websocket.CloseNoStatusReceived
			if len(payload) >= 2 {
				code = int(binary.BigEndian.Uint16(payload))
			}
			s.closedWith(code)
			return false
		}
		b = b[head+size:]
	}
}

// closedWith records how the socket ended, once: the first code stays.
func (s *screen) closedWith(code int) { s.closeCode.CompareAndSwap(0, int32(code)) }

// end marks the reading as over.
func (s *screen) end() { s.ended.Do(func() { close(s.done) }) }
