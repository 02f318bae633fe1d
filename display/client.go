package display

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/display/hub"
	"github.com/phatdong/phatdong/protocol"
)

// The screens' roles; RoleOperator and RoleButton (auth_http.go) are the
// other two a socket may introduce itself with.
const (
	RoleStage     = protocol.RoleStage
	RolePresenter = protocol.RolePresenter
	RoleMonitor   = protocol.RoleMonitor
)

// client is what display knows of one socket (its hub.Client's Data):
// who is on the other end. Its messages arrive on the socket's reader
// (ws_read.go), one at a time.
type client struct {
	hub         *Hub
	hc          *hub.Client
	id          string
	addr        string
	connectedAt time.Time

	ready atomic.Bool // introduced: receives broadcasts; set under Hub.mu

	// Set once by the hello, before ready; read-only afterwards.
	role         Role
	name, button string
	credential   access.Identity // an operator's or a button's; zero for screens
	heartbeat    time.Duration   // the hello's promise of a message this often; 0 for none

	lastHeard atomic.Int64 // Unix ms of the last message (a pong is not one)

	// Owned by the socket's reader.
	guard guard

	mu     sync.Mutex // guards health, moment and media
	health health
	moment *MomentFigures // the last moment's frame rate, as reported
	// media is a stage screen's latest readiness per media item, the most
	// recently reported last (media_report.go).
	media []protocol.MediaReadiness
}

// health is what a device last reported of its clock.
type health struct {
	known                    bool
	offset, rtt, uncertainty float64
}

// seesShow reports whether the role gets the rundown.
func (c *client) seesShow() bool {
	return c.role == RoleOperator || c.role == RoleMonitor
}

// sendText sends a message for this socket only.
func (c *client) sendText(payload []byte) bool {
	return c.hc.Send(hub.Item{Text: payload})
}

// sendTime sends the answer to a clock-sync request that arrived at
// received; t2 is stamped just before the answer is written.
func (c *client) sendTime(t0 float64, received time.Time) {
	c.hc.Send(hub.Item{Make: func() []byte {
		return mustJSON(clocksync.Answer(t0, received, c.hub.now()))
	}})
}

// setHealth records a device's clock report.
func (c *client) setHealth(hl health) {
	c.mu.Lock()
	c.health = hl
	c.mu.Unlock()
}

// getHealth returns the device's last clock report.
func (c *client) getHealth() health {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.health
}
