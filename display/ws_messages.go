package display

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/phatdong/phatdong/clocksync"
	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/hub"
	"github.com/phatdong/phatdong/protocol"
)

// now is the time the server tells its devices (HubConfig.ClockOffset).
func (h *Hub) now() time.Time { return h.told(time.Now()) }

// told is the time the server tells its devices for t on its own clock.
func (h *Hub) told(t time.Time) time.Time {
	if h.offset == nil {
		return t
	}
	return t.Add(h.offset())
}

// serverNow is the time the server tells as a protocol timestamp, to the
// microsecond.
func (h *Hub) serverNow() float64 {
	return math.Round(clocksync.Stamp(h.now())*1000) / 1000
}

// prepare encodes v once, as one frame for every socket.
func prepare(v any) (*hub.Frame, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("display: encode %T: %w", v, err)
	}
	f, err := hub.NewFrame(b)
	if err != nil {
		return nil, fmt.Errorf("display: prepare %T: %w", v, err)
	}
	return f, nil
}

func encodeState(s controller.Snapshot, serverTime float64) (*hub.Frame, error) {
	return prepare(protocol.StateMsg{Type: protocol.TypeState, ServerTime: serverTime, State: wireView(s.ViewAt(time.UnixMilli(int64(serverTime))))})
}

func encodeShow(sh *controller.Show, rev uint64) (*hub.Frame, error) {
	return prepare(protocol.ShowMsg{Type: protocol.TypeShow, ShowRev: rev, Show: wireShow(sh)})
}

func encodeFire(l controller.Launch, caption string) (*hub.Frame, error) {
	return prepare(protocol.FireMsg{Type: protocol.TypeFire, FireID: l.FireID, FireAt: l.FireAt, Caption: caption})
}

// mustJSON encodes a message of fixed shape, which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("display: encode %T: %v", v, err))
	}
	return b
}

// publicError is what a device may be told of err: domain errors as they
// are, anything else as an internal error without details.
func publicError(err error) *controller.Error {
	var de *controller.Error
	if errors.As(err, &de) && de.Code != controller.EINTERNAL {
		return de
	}
	return &controller.Error{Code: controller.EINTERNAL, Message: "internal error"}
}

// refuse sends an error about a message (ref names it when known).
func (c *client) refuse(ref string, err error) {
	c.sendText(mustJSON(protocol.ErrorMsg{Type: protocol.TypeError, Ref: ref, Error: wireError(publicError(err))}))
}

// answer sends the engine's answer to a command or a press, after the
// state the command produced.
func (c *client) answer(ref string, a controller.Answer, err error) {
	m := protocol.AnswerMsg{Type: protocol.TypeAnswer, Ref: ref, Answer: wireAnswer(a)}
	m.Answer.Epoch = c.hub.engine.Epoch() // the answering server's
	if err != nil {
		m.Error = wireError(publicError(err))
		m.Answer.Error = m.Error
	}
	c.hub.sendAfterPublished(c, mustJSON(m))
}
