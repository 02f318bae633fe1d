package display

import (
	"github.com/gorilla/websocket"

	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

// sharedKeyWarning is what the MC shows while the shared button key of an
// older database still opens.
const sharedKeyWarning = "Khoá nút bấm dùng chung (kiểu cũ) vẫn còn hiệu lực: ai giữ khoá này có thể bấm thay mọi nút. " +
	"Hãy tạo khoá riêng cho từng nút trong trang Biên tập → Thiết bị và khoá, rồi thu hồi khoá chung."

// closeRevoked cuts every socket opened with a credential just revoked,
// and tells the operators (their device list and warnings change).
func (h *Hub) closeRevoked(cred access.Credential) {
	for _, c := range h.introduced() {
		if c.credential.ID == cred.ID {
			h.log.Info("closing a socket: its credential was revoked", "id", c.id, "credential", cred.ID, "label", cred.Label)
			c.hc.CloseWith(websocket.ClosePolicyViolation, "the credential was revoked")
		}
	}
	h.presence.changed(true)
}

// stillOpens closes c, just introduced, when its credential was revoked
// while its hello was checked: closeRevoked may have missed it.
func (h *Hub) stillOpens(c *client) {
	if c.credential.ID != "" && !h.auth.Registry().Opens(c.credential.ID) {
		c.hc.CloseWith(websocket.ClosePolicyViolation, "the credential was revoked")
	}
}

// warnings lists what operators should act on: the shared button key,
// then what is wrong with the pair (nil: no pair).
func (h *Hub) warnings(pair *protocol.Pair) []protocol.Warning {
	var out []protocol.Warning
	if h.auth.Registry().SharedLive() {
		out = append(out, protocol.Warning{Code: protocol.WarnSharedButtonKey, Message: sharedKeyWarning})
	}
	return append(out, pairWarnings(pair)...)
}
