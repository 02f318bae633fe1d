package hub

import "encoding/binary"

// encodeFrame is one unmasked, final websocket frame (RFC 6455 §5.2) of
// opcode op carrying payload, as a server sends it. Only the direct
// writes need it; everything else goes through gorilla's writer.
func encodeFrame(op int, payload []byte) []byte {
	n := len(payload)
	b := make([]byte, 0, 10+n) // the longest header is 10 bytes: one allocation
	b = append(b, 0x80|byte(op))
	switch {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = binary.BigEndian.AppendUint16(append(b, 126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, 127), uint64(n))
	}
	return append(b, payload...)
}
