package display

import (
	"fmt"
	"sync"

	"github.com/phatdong/phatdong/protocol"
)

// pairWatch holds Config.Pair and what it returned last, so PairChanged
// tells the operators only of real changes.
type pairWatch struct {
	fn func() *protocol.Pair // nil: no pair

	mu    sync.Mutex
	known bool          // last holds a pair
	last  protocol.Pair // what fn returned at the last PairChanged
}

// get is the pair now; nil without one.
func (w *pairWatch) get() *protocol.Pair {
	if w.fn == nil {
		return nil
	}
	return w.fn()
}

// changed reports whether the pair differs from the one it saw last, and
// remembers it.
func (w *pairWatch) changed() bool {
	p := w.get()
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case p == nil && !w.known:
		return false
	case p == nil:
		w.known, w.last = false, protocol.Pair{}
		return true
	case w.known && *p == w.last:
		return false
	}
	w.known, w.last = true, *p
	return true
}

// PairChanged tells the server that what Config.Pair returns may have
// changed: when it did, the operators get a devices message soon (within
// the fast gap of presence, 250 ms), with the pair and its warnings. Safe
// to call from any goroutine, as often as every second: an unchanged pair
// costs one call of Config.Pair and sends nothing.
//
// Every device learns of a change of Config.Servers too: when its list
// differs from the one sent last, every socket gets a servers message,
// within the same gap.
func (s *Server) PairChanged() {
	if s.pair.changed() {
		s.hub.presence.changed(true)
	}
	s.hub.serversPush.check()
}

// pairWarnings is what operators should act on about the pair p (nil: no
// pair), in Vietnamese. PeerSeq is read as the standby's applied sequence
// on both roles, Seq as the primary's.
func pairWarnings(p *protocol.Pair) []protocol.Warning {
	if p == nil {
		return nil
	}
	var out []protocol.Warning
	switch {
	case p.Role == protocol.RolePrimary && !p.InSync:
		out = append(out, protocol.Warning{Code: protocol.WarnStandbyOutOfSync, Message: primaryOutOfSync(p)})
	case p.Role == protocol.RoleStandby && !p.Connected:
		out = append(out, protocol.Warning{Code: protocol.WarnPrimaryLost, Message: fmt.Sprintf(
			"Mất liên lạc với máy chính%s. Máy này đã nhận đến lệnh số %d và chỉ theo dõi. "+
				"Hãy kiểm tra mạng giữa hai máy chủ và xem máy chính còn chạy không.", peerOf(p), p.PeerSeq)})
	case p.Role == protocol.RoleStandby && !p.InSync:
		out = append(out, protocol.Warning{Code: protocol.WarnStandbyOutOfSync, Message: fmt.Sprintf(
			"Máy này chưa đồng bộ với máy chính: còn thiếu %d lệnh (đã nhận đến lệnh số %d, máy chính ở lệnh số %d). "+
				"Máy này đang theo kịp; nếu còn chậm mãi, hãy kiểm tra mạng giữa hai máy chủ.", p.LagCommands, p.PeerSeq, p.Seq)})
	}
	if p.MediaMissing > 0 {
		who := "Máy dự phòng"
		if p.Role == protocol.RoleStandby {
			who = "Máy này"
		}
		out = append(out, protocol.Warning{Code: protocol.WarnStandbyMedia, Message: fmt.Sprintf(
			"%s chưa có %d tệp phim/ảnh của chương trình: đang chép từ máy chính. "+
				"Nếu chuyển sang máy dự phòng lúc này, màn hình sẽ không có phim. Hãy chờ chép xong.", who, p.MediaMissing)})
	}
	if p.Diverged {
		out = append(out, protocol.Warning{Code: protocol.WarnStandbyDiverged, Message: fmt.Sprintf(
			"Máy dự phòng: lệch trạng thái ở lệnh số %d. Máy dự phòng đã đồng bộ lại từ bản chụp của máy chính, "+
				"nhưng đây là dấu hiệu lỗi: hãy báo kỹ thuật viên.", p.DivergedSeq)})
	}
	return out
}

// primaryOutOfSync words the warning of a primary going on without its
// standby.
func primaryOutOfSync(p *protocol.Pair) string {
	msg := "Máy dự phòng: mất đồng bộ. Máy chính vẫn chạy tiếp một mình, máy dự phòng chưa thay được nếu máy chính hỏng"
	if !p.Connected {
		msg += "; không liên lạc được với máy dự phòng" + peerOf(p)
	}
	if p.Unsynced == 0 {
		msg += ". Chưa có lệnh nào được trả lời khi thiếu máy dự phòng."
	} else {
		msg += fmt.Sprintf(". Đã có %d lệnh được trả lời khi máy dự phòng chưa lưu.", p.Unsynced)
	}
	if !p.Connected {
		return msg + " Hãy kiểm tra mạng và máy dự phòng."
	}
	return msg + fmt.Sprintf(" Máy dự phòng đang theo kịp: còn chậm %d lệnh.", p.LagCommands)
}

// peerOf is " (address)" of the other server, or "" when unknown.
func peerOf(p *protocol.Pair) string {
	if p.Peer == "" {
		return ""
	}
	return " (" + p.Peer + ")"
}
