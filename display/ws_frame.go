package display

import (
	"encoding/binary"
	"errors"
	"sync"
	"syscall"
)

// The server writes its websocket frames itself (RFC 6455 §5.2; a server's
// frames are never masked): a broadcast is framed once and the same bytes
// go to every socket, and a write can be tried without waiting, which
// gorilla's Conn cannot do. Gorilla reads the frames the clients send.

// Frame opcodes, with the FIN bit set.
const (
	finText  = 0x80 | 0x1
	finClose = 0x80 | 0x8
	finPing  = 0x80 | 0x9
	finPong  = 0x80 | 0xA
)

// maxControlPayload is the largest payload of a control frame.
const maxControlPayload = 125

// appendFrame appends one unmasked frame of the given first byte.
func appendFrame(b []byte, first byte, payload []byte) []byte {
	n := len(payload)
	switch {
	case n < 126:
		b = append(b, first, byte(n))
	case n <= 0xFFFF:
		b = append(b, first, 126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, first, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, payload...)
}

// textFrame frames a JSON message.
func textFrame(payload []byte) []byte {
	return appendFrame(make([]byte, 0, len(payload)+10), finText, payload)
}

// pingFrame is an empty ping.
var pingFrame = []byte{finPing, 0}

// pongFrame answers a ping with its payload.
func pongFrame(data string) []byte {
	if len(data) > maxControlPayload {
		data = data[:maxControlPayload]
	}
	return appendFrame(nil, finPong, []byte(data))
}

// closeFrame carries a close code and a reason (cut to fit a control frame).
func closeFrame(code int, reason string) []byte {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	p = append(p, reason...)
	if len(p) > maxControlPayload {
		p = p[:maxControlPayload]
	}
	return appendFrame(nil, finClose, p)
}

// rawWrite is one non-blocking write on a socket's file descriptor. Its
// run method is handed to syscall.RawConn.Write; rawWrites are pooled so
// that a broadcast allocates nothing per socket.
type rawWrite struct {
	buf []byte
	n   int
	err error
	fn  func(fd uintptr) bool
}

var rawWrites = sync.Pool{New: func() any {
	w := &rawWrite{}
	w.fn = w.run
	return w
}}

// run writes as much of buf as the socket takes now. It returns true so
// that RawConn.Write never waits: what is left is the caller's business.
func (w *rawWrite) run(fd uintptr) bool {
	for len(w.buf) > 0 {
		k, err := writeNonBlocking(fd, w.buf)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			if !errors.Is(err, syscall.EAGAIN) {
				w.err = err
			}
			return true
		}
		w.n += k
		w.buf = w.buf[k:]
	}
	return true
}

// writeNow writes as much of b as the socket c takes without waiting and
// returns how many bytes went out; err is set when the socket is broken.
func (c *client) writeNow(b []byte) (int, error) {
	if c.raw == nil {
		return 0, nil // not a socket: leave it to the writer goroutine
	}
	w := rawWrites.Get().(*rawWrite)
	w.buf, w.n, w.err = b, 0, nil
	err := c.raw.Write(w.fn)
	n, werr := w.n, w.err
	w.buf = nil
	rawWrites.Put(w)
	if err != nil {
		return n, err
	}
	return n, werr
}
