package display

import (
	"cmp"
	"slices"

	"github.com/phatdong/phatdong/protocol"
)

// Device is one connected device as operators see it (protocol.Device).
type Device = protocol.Device

// roleOrder sorts the device list: the people first, then the screens.
var roleOrder = map[Role]int{RoleOperator: 0, RoleButton: 1, RoleStage: 2, RolePresenter: 3, RoleMonitor: 4}

// Devices lists the introduced sockets: operators, buttons, then screens,
// each in the order they connected.
func (h *Hub) Devices() []Device {
	list := h.introduced()
	out := make([]Device, len(list))
	for i, c := range list {
		out[i] = c.device()
	}
	slices.SortFunc(out, func(a, b Device) int {
		return cmp.Or(cmp.Compare(roleOrder[a.Role], roleOrder[b.Role]),
			cmp.Compare(a.ConnectedAt, b.ConnectedAt), cmp.Compare(len(a.ID), len(b.ID)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// device describes c. Its identity is fixed once introduced.
func (c *client) device() Device {
	d := Device{
		ID: c.id, Role: c.role, Name: c.name, Button: c.button, Credential: c.credential.ID, Addr: c.addr,
		ConnectedAt: c.connectedAt.UnixMilli(), LastSeen: c.hc.LastSeen().UnixMilli(),
	}
	if hl := c.getHealth(); hl.known {
		d.RTTMs, d.OffsetMs, d.UncertaintyMs = &hl.rtt, &hl.offset, &hl.uncertainty
	}
	d.Moment = c.getMoment()
	d.Media = c.getMedia()
	return d
}

// presence coalesces changes of the device list into at most one devices
// message per devicesFast (a device came or went, a fire report arrived)
// or per devicesSlow (only health figures changed), sent to operators
// only. Screens never receive it, so N screens connecting cost O(N) in
// all, not O(N²).
type presence struct {
	hub *Hub
	// pair is HubConfig.Pair (nil: no pair).
	pair func() *protocol.Pair
	// venues and hall are HubConfig.Venues and HubConfig.Hall (nil: none).
	venues func() []protocol.Venue
	hall   func() *protocol.Hall
	// cues is HubConfig.Cues (nil: none).
	cues func(fireID string) []protocol.CueOutcome

	coalescer // its send is flush
}

// changed notes a change; fast says whether it is one of presence (or of
// a fire) rather than of health figures only.
func (p *presence) changed(fast bool) {
	gap := p.hub.tune.devicesSlow
	if fast {
		gap = p.hub.tune.devicesFast
	}
	p.schedule(gap)
}

// flush sends the device list to every operator socket.
func (p *presence) flush() {
	h := p.hub
	operators := 0
	for _, c := range h.introduced() {
		if c.role == RoleOperator {
			operators++
		}
	}
	if operators == 0 {
		return // an operator gets the list when it connects (a change)
	}
	devices := h.Devices()
	counts := map[Role]int{}
	for _, d := range devices {
		counts[d.Role]++
	}
	var pair *protocol.Pair
	if p.pair != nil {
		pair = p.pair()
	}
	venues, hall := p.venueLinks()
	fire := h.fires.latest()
	if fire != nil && p.cues != nil {
		fire.Cues = p.cues(fire.FireID)
	}
	frame, err := prepare(protocol.DevicesMsg{
		Type: protocol.TypeDevices, ServerTime: h.serverNow(), Counts: counts, Devices: devices,
		Fire: fire, Warnings: h.warnings(pair), Pair: pair, Venues: venues, Hall: hall,
	})
	if err != nil {
		h.log.Error("encode the device list", "err", err)
		return
	}
	h.broadcast(frame, func(c *client) bool { return c.role == RoleOperator }, nil, nil)
}
