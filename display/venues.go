package display

import "github.com/phatdong/phatdong/protocol"

// What the server shows operators of the district halls (issue #15): on
// the province's server, the halls that follow it (Config.Venues); on a
// hall's server, its link to the province (Config.Hall). Both ride on the
// devices message, which only operators get: the audience never sees a
// link's trouble.

// LinksChanged tells the server that what Config.Venues or Config.Hall
// returns may have changed: the operators get a devices message within
// the fast gap of presence (a link came or went) or the slow one (only
// figures changed). Safe to call from any goroutine, as often as a hall
// reports.
func (s *Server) LinksChanged(fast bool) {
	s.hub.presence.changed(fast)
}

// CuesChanged tells the server that what Config.Cues returns may have
// changed (a cue of the latest fire went out or failed): the operators
// get a devices message within the fast gap of presence. Safe from any
// goroutine.
func (s *Server) CuesChanged() {
	s.hub.presence.changed(true)
}

// Screens counts the sockets that show the show to an audience or a
// speaker: stage and presenter screens. A hall reports it to the province.
func (h *Hub) Screens() int {
	n := 0
	for _, c := range h.introduced() {
		if c.role == RoleStage || c.role == RolePresenter {
			n++
		}
	}
	return n
}

// LatestFire is how this server's screens started the last moment; nil
// before any fire. A hall reports it to the province.
func (h *Hub) LatestFire() *protocol.FireSummary {
	return h.fires.latest()
}

// venueLinks calls the links hooks of p; nil hooks give nothing.
func (p *presence) venueLinks() ([]protocol.Venue, *protocol.Hall) {
	var venues []protocol.Venue
	var hall *protocol.Hall
	if p.venues != nil {
		venues = p.venues()
	}
	if p.hall != nil {
		hall = p.hall()
	}
	return venues, hall
}
