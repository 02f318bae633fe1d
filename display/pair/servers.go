package pair

import "github.com/phatdong/phatdong/protocol"

// Servers is the pair as devices know it: this server first (self), then
// the other as last heard of; nil while this server has never had a peer.
func (p *Pair) Servers() []protocol.ServerInfo {
	own := p.engine.Epoch() // Servers runs on every hello, handshake and probe
	self := protocol.ServerInfo{URLs: p.urls, Role: protocol.RolePrimary, Epoch: own, Self: true}
	if s := p.standby.Load(); s != nil {
		self.Role = protocol.RoleStandby
		urls, epoch := s.primaryAt()
		if len(urls) == 0 {
			urls = p.peer()
		}
		if len(urls) == 0 {
			return []protocol.ServerInfo{self}
		}
		return []protocol.ServerInfo{self, {URLs: urls, Role: protocol.RolePrimary, Epoch: max(epoch, own)}}
	}
	urls := p.primary.standbyAt()
	if len(urls) == 0 {
		urls = p.peer()
	}
	if len(urls) == 0 {
		return nil
	}
	return []protocol.ServerInfo{self, {URLs: urls, Role: protocol.RoleStandby, Epoch: own}}
}

// primaryAt is where the primary said it is, and its epoch; nil before it
// answered.
func (s *standbySide) primaryAt() ([]string, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.primary.URLs, s.primary.Epoch
}

// standbyAt is where the standby said it is; nil before its first hello.
func (p *primarySide) standbyAt() []string {
	p.status.Lock()
	defer p.status.Unlock()
	return p.peer.URLs
}
