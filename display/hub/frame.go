package hub

import "encoding/binary"

// encodeFrame is one unmasked, final websocket frame (RFC 6455 §5.2) of
// opcode op carrying payload, as a server sends it. Only the direct
// writes need it; everything else goes through gorilla's writer.
func encodeFrame(op int, payload []byte) []byte {
	n := len(payload)
	var head []byte
	switch {
	case n < 126:
		head = []byte{0x80 | byte(op), byte(n)}
	case n <= 0xFFFF:
		head = binary.BigEndian.AppendUint16([]byte{0x80 | byte(op), 126}, uint16(n))
	default:
		head = binary.BigEndian.AppendUint64([]byte{0x80 | byte(op), 127}, uint64(n))
	}
	return append(head, payload...)
}
