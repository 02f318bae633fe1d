package display

// Close disconnects every socket with a going-away close (1001), waits a
// moment for the peers to answer, then cuts the rest. New sockets are
// refused. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.mu.Unlock()
	close(h.done)
	h.presence.stop()
	h.serversPush.stop()
	n := h.ws.Len()
	h.ws.Close()
	h.log.Info("websocket hub closed", "sockets", n)
}
