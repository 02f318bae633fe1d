package display

import (
	"encoding/json"
	"sync"

	"github.com/phatdong/phatdong/protocol"
)

// serversPush tells every device when the pair's servers change (a
// standby joined, a takeover): a page that connected while its server was
// alone learns of the other one without reconnecting. The servers
// message goes to every introduced socket, whatever its role, coalesced
// to at most one per devicesFast.
type serversPush struct {
	hub *Hub

	coalescer // its send is flush

	mu   sync.Mutex
	last string // the JSON of the list sent last; "null" before any
}

// check schedules a servers message when the list differs from the one
// sent last. Cheap when it does not: one call of HubConfig.Servers and
// its encoding.
func (p *serversPush) check() {
	servers := p.hub.pairServers()
	if len(servers) == 0 {
		servers = nil
	}
	now, err := json.Marshal(servers)
	if err != nil {
		p.hub.log.Error("encode the pair's servers", "err", err)
		return
	}
	p.mu.Lock()
	same := string(now) == p.last
	p.mu.Unlock()
	if !same {
		p.schedule(p.hub.tune.devicesFast)
	}
}

// flush sends the list as it is now, unless it is the one sent last.
func (p *serversPush) flush() {
	h := p.hub
	servers := h.pairServers()
	if len(servers) == 0 {
		servers = nil // an empty list is a server alone, as nil
	}
	list, err := json.Marshal(servers)
	if err != nil {
		h.log.Error("encode the pair's servers", "err", err)
		return
	}
	p.mu.Lock()
	same := string(list) == p.last
	p.last = string(list)
	p.mu.Unlock()
	if same {
		return
	}
	frame, err := prepare(protocol.ServersMsg{Type: protocol.TypeServers, Servers: servers})
	if err != nil {
		h.log.Error("encode the servers message", "err", err)
		return
	}
	n := h.broadcast(frame, nil, nil, nil)
	h.log.Info("pair's servers sent to the devices", "servers", len(servers), "sockets", n)
}
