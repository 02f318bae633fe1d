package display

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// StateBody is the envelope of every answer that carries the live state:
// GET /api/v1/state, and the answers to commands and show changes. The
// state is the same wire view the sockets get.
type StateBody struct {
	// Answer is what a command was told; absent on a plain read.
	Answer *protocol.Answer `json:"answer,omitempty"`
	// ServerTime is the server's clock when the answer was made, Unix ms.
	ServerTime int64         `json:"serverTime"`
	State      protocol.View `json:"state"`
}

// stateBody builds the envelope of snap: the snapshot a command committed,
// or the current one for a plain read.
func (s *Server) stateBody(answer *controller.Answer, snap controller.Snapshot) StateBody {
	now := s.engine.Now()
	body := StateBody{ServerTime: controller.UnixMs(now), State: wireView(snap.ViewAt(now))}
	if answer != nil {
		a := wireAnswer(*answer)
		a.Epoch = s.engine.Epoch()
		body.Answer = &a
	}
	return body
}

func (s *Server) serverTime() int64 { return controller.UnixMs(s.engine.Now()) }

// getState answers GET /api/v1/state.
func (s *Server) getState(c echo.Context) error {
	return c.JSON(http.StatusOK, s.stateBody(nil, s.engine.Snapshot()))
}

// HealthBody is the answer of GET /healthz.
type HealthBody struct {
	Status string `json:"status"` // "ok"
	// Version is the server's release (Config.Version); absent when unset.
	Version    string `json:"version,omitempty"`
	ServerTime int64  `json:"serverTime"`
	Seq        uint64 `json:"seq"`
	ShowRev    uint64 `json:"showRev"`
	Store      any    `json:"store,omitempty"`
	// NATS is the NATS node's health (address, JetStream, ok), absent
	// when the server runs none.
	NATS any `json:"nats,omitempty"`
	// Pair is the primary–standby pair (Config.Pair), absent without one.
	Pair *protocol.Pair `json:"pair,omitempty"`
	// Venues are the district halls that follow this province server;
	// Hall is a hall's server's link to the province (Config.Venues,
	// Config.Hall). Absent when there are none.
	Venues []protocol.Venue `json:"venues,omitempty"`
	Hall   *protocol.Hall   `json:"hall,omitempty"`
}

// getHealth answers GET /healthz: 200 with the store's (and the NATS
// node's) figures, or 503 when the store cannot be read or the server is
// shutting down.
func (s *Server) getHealth(c echo.Context) error {
	if s.closing.Load() {
		return controller.Errorf(EUNAVAILABLE, "the server is shutting down")
	}
	body := HealthBody{Status: "ok", Version: s.version, ServerTime: s.serverTime()}
	st := s.engine.Snapshot().State
	body.Seq, body.ShowRev = st.Seq, st.ShowRev
	if s.stats != nil {
		stats, err := s.stats()
		if err != nil {
			s.log.Error("health: store", "err", err)
			return controller.Errorf(EUNAVAILABLE, "the store cannot be read")
		}
		body.Store = stats
	}
	if s.node != nil {
		body.NATS = s.node()
	}
	body.Pair = s.pair.get()
	body.Venues, body.Hall = s.hub.presence.venueLinks()
	return c.JSON(http.StatusOK, body)
}

// noStore marks every answer of the routes it guards, errors included,
// as never to be stored: they carry the live state, the show or secrets.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}
