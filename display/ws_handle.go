package display

import (
	"bytes"
	"cmp"
	"errors"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/access"
	"github.com/phatdong/phatdong/protocol"
)

// Bounds on what a device may say.
const (
	maxOffsetMs = 24 * 3600 * 1000 // a device clock a day off is broken
	maxRTTMs    = 60 * 1000
)

// hello checks the first message (err is a bad message already found by
// next) and introduces the socket. When it refuses, it has sent the error
// and the caller closes the socket.
func (c *client) hello(data []byte, err error) bool {
	var env protocol.Envelope
	var m protocol.HelloMsg
	if err == nil {
		env, err = decodeEnvelope(data)
	}
	if err == nil && env.Type != protocol.TypeHello {
		err = controller.Errorf(controller.EINVALID, "the first message must be a hello (got %q)", env.Type)
	}
	if err == nil {
		err = decodeBody(data, &m)
	}
	if err == nil {
		err = c.checkHello(&m)
	}
	if err != nil {
		c.hub.metrics.bad.Inc()
		c.refuse(env.Ref, err)
		return false
	}
	c.role, c.name = m.Role, m.Name
	c.heartbeat = time.Duration(m.HeartbeatMs) * time.Millisecond
	if m.Role == RoleButton {
		c.button = m.Button
	}
	// The welcome is made under the hub's lock: the servers it lists are
	// either those of the last servers message or newer, never older.
	c.hub.introduce(c, func() []byte {
		return mustJSON(protocol.WelcomeMsg{
			Type: protocol.TypeWelcome, ClientID: c.id, Role: c.role, Name: c.name, Button: c.button, ServerTime: c.hub.serverNow(),
			Servers: c.hub.pairServers(),
		})
	})
	c.hub.stillOpens(c)
	c.hub.log.Debug("socket introduced", "id", c.id, "role", c.role, "name", c.name, "addr", c.addr)
	return true
}

// checkHello validates a hello and its credential. A button presses as
// the button its credential names; the hello's button, when given, must
// be that one (a swapped configuration file is told, not obeyed).
func (c *client) checkHello(m *protocol.HelloMsg) error {
	m.Name = strings.TrimSpace(m.Name)
	if err := checkText("name", m.Name, controller.MaxTitleLen); err != nil {
		return err
	}
	if hb := m.HeartbeatMs; hb != 0 && (hb < protocol.MinHeartbeatMs || hb > protocol.MaxHeartbeatMs) {
		return controller.FieldError("heartbeatMs", "must be between %d and %d ms, or absent", protocol.MinHeartbeatMs, protocol.MaxHeartbeatMs)
	}
	switch m.Role {
	case RoleStage, RolePresenter:
		return c.checkScreen(m.Token)
	case RoleMonitor:
		return nil
	case RoleOperator:
		id, err := c.identify(m.Token, access.KindOperator, "the operator token")
		if err != nil {
			return err
		}
		c.credential = id
		return nil
	case RoleButton:
		if err := checkText("button", m.Button, controller.MaxButtonLen); err != nil {
			return err
		}
		id, err := c.identify(m.Key, access.KindButton, "the button key")
		if err != nil {
			return err
		}
		switch {
		case id.Shared && m.Button == "":
			return controller.FieldError("button", "a button needs its id")
		case id.Shared:
			// The shared key of an older database: the claimed id is shown,
			// the press counts as the one shared button.
		case m.Button != "" && m.Button != id.Button:
			return controller.Errorf(controller.EFORBIDDEN, "this key belongs to button %q, not %q: check the device's button setting", id.Button, m.Button)
		default:
			m.Button = id.Button
		}
		c.credential = id
		return nil
	case "":
		return controller.FieldError("role", "a hello needs a role: stage, presenter, operator, button or monitor")
	default:
		return controller.FieldError("role", "unknown role %q: use stage, presenter, operator, button or monitor", m.Role)
	}
}

// identify checks a hello's secret: it must open a live credential of the
// kind. Failures count against the address.
func (c *client) identify(secret string, kind access.Kind, what string) (access.Identity, error) {
	auth := c.hub.auth
	if !auth.Allowed(c.addr) {
		return access.Identity{}, controller.Errorf(ERATELIMITED, "too many failed attempts from this address; wait a minute")
	}
	id, ok := auth.Identify(secret, c.addr)
	if !ok {
		auth.Failed(c.addr)
		return access.Identity{}, controller.Errorf(EUNAUTHORIZED, "%s is missing, wrong or revoked", what)
	}
	if id.Kind != kind {
		return access.Identity{}, controller.Errorf(controller.EFORBIDDEN, "this is a %s's credential, not %s", id.Kind, what)
	}
	return id, nil
}

// checkText refuses control characters and text longer than max runes.
func checkText(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return controller.FieldError(field, "is %d characters long, at most %d are allowed", n, max)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return controller.FieldError(field, "contains control characters")
	}
	return nil
}

// handle acts on one message of an introduced socket. It returns an error
// (and the message's ref) when the message is refused as bad; answers
// from the engine, refusals included, are sent by handle itself.
func (c *client) handle(data []byte, at time.Time) (string, error) {
	env, err := decodeEnvelope(data)
	if err != nil {
		return env.Ref, err
	}
	switch env.Type {
	case protocol.TypeTime:
		var m protocol.TimeMsg
		if err := decodeBody(data, &m); err != nil {
			return env.Ref, err
		}
		return env.Ref, c.handleTime(m, at)
	case protocol.TypeReport:
		var m protocol.ReportMsg
		if err := decodeBody(data, &m); err != nil {
			return env.Ref, err
		}
		return env.Ref, c.handleReport(m, at)
	case protocol.TypeCommand:
		if c.role != RoleOperator {
			return env.Ref, controller.Errorf(controller.EFORBIDDEN, "a %s may not send commands", c.role)
		}
		var m protocol.CommandMsg
		if err := decodeBody(data, &m); err != nil {
			return env.Ref, err
		}
		return env.Ref, c.handleCommand(env.Ref, m)
	case protocol.TypePress:
		if c.role != RoleButton {
			return env.Ref, controller.Errorf(controller.EFORBIDDEN, "only a button may press")
		}
		var m protocol.PressMsg
		if err := decodeBody(data, &m); err != nil {
			return env.Ref, err
		}
		return env.Ref, c.handlePress(env.Ref, m)
	case protocol.TypeHello:
		return env.Ref, controller.Errorf(controller.EINVALID, "this socket has already introduced itself")
	default:
		return env.Ref, controller.FieldError("type", "unknown message type %q", env.Type)
	}
}

// handleTime answers a clock-sync request at once. t1 is when the message
// arrived; t2 is stamped just before the answer goes out.
func (c *client) handleTime(m protocol.TimeMsg, at time.Time) error {
	if m.T0 == 0 { // no clock reads 0: the member is missing
		return controller.FieldError("t0", "a time request needs t0, the sender's clock in Unix ms")
	}
	c.sendTime(m.T0, at)
	return nil
}

// handleCommand runs an operator's command through the engine. This is
// the socket's own reader, so the engine's fsync delays only this
// socket.
func (c *client) handleCommand(ref string, m protocol.CommandMsg) error {
	if len(bytes.TrimSpace(m.Command)) == 0 || bytes.Equal(bytes.TrimSpace(m.Command), []byte("null")) {
		return controller.FieldError("command", "a command message needs a command object")
	}
	var cmd controller.Command
	if err := controller.DecodeJSON(m.Command, &cmd); err != nil {
		return within("command", err)
	}
	if cmd.Type == controller.CmdTakeover {
		return c.handleTakeover(ref, cmd)
	}
	res, err := c.hub.engine.Execute(cmd, controller.Actor{Role: string(RoleOperator), Name: cmp.Or(c.name, c.credential.Label), Addr: c.addr})
	c.logEngineFault(string(cmd.Type), err)
	c.answer(ref, res.Answer, err)
	return nil
}

// handleTakeover routes an operator's takeover to the pair
// (HubConfig.Takeover), never to Engine.Execute. Only the command's id
// may come with it; the answer is sent as a command's.
func (c *client) handleTakeover(ref string, cmd controller.Command) error {
	if cmd != (controller.Command{Type: controller.CmdTakeover, ID: cmd.ID}) {
		return controller.FieldError("command", "a takeover carries only its type (and an id)")
	}
	actor := controller.Actor{Role: string(RoleOperator), Name: cmp.Or(c.name, c.credential.Label), Addr: c.addr}
	c.hub.log.Warn("takeover asked", "actor", actor.Name, "id", c.id, "addr", c.addr)
	res, err := runTakeover(c.hub.takeover, c.hub.engine, actor)
	c.logEngineFault(string(cmd.Type), err)
	c.answer(ref, res.Answer, err)
	return nil
}

// within names a decoding error's field as a member of parent.
func within(parent string, err error) error {
	var de *controller.Error
	if errors.As(err, &de) {
		field := parent
		if de.Field != "" {
			field += "." + de.Field
		}
		return controller.FieldError(field, "%s", de.Message)
	}
	return err
}

// handlePress runs a button's press through the engine.
func (c *client) handlePress(ref string, m protocol.PressMsg) error {
	if m.PressID == "" {
		return controller.FieldError("pressId", "a press needs a unique press id")
	}
	cmd := controller.Command{Type: controller.CmdPress, Button: c.button, Name: cmp.Or(c.name, c.credential.Label), PressID: m.PressID}
	if c.credential.Shared {
		cmd.Button = access.SharedButton
		cmd.Name = cmp.Or(c.name, c.button)
	}
	if m.PressedAt < 0 {
		return controller.FieldError("pressedAt", "must be a time in Unix ms")
	}
	cmd.PressedAt = m.PressedAt
	res, err := c.hub.engine.Execute(cmd, controller.Actor{Role: string(RoleButton), Name: c.name, Addr: c.addr})
	c.logEngineFault("press", err)
	c.answer(ref, res.Answer, err)
	return nil
}

// logEngineFault logs the errors that are the server's, not the device's.
func (c *client) logEngineFault(typ string, err error) {
	if err != nil && controller.ErrorCode(err) == controller.EINTERNAL {
		c.hub.log.Error("a socket's command failed", "type", typ, "id", c.id, "err", err)
	}
}

// handleReport records a device's clock and, with fireId, the instant it
// started the moment; a stage screen's frame figures and media readiness
// go to their own handlers.
func (c *client) handleReport(m protocol.ReportMsg, at time.Time) error {
	hl, err := reportHealth(m)
	if err != nil {
		return err
	}
	moment := m.FPS != nil || m.MedianMs != nil || m.MaxGapMs != nil || m.Quality != nil
	if m.Media != nil {
		return c.handleMediaReport(m, hl, moment)
	}
	if moment {
		return c.handleMomentReport(m, at)
	}
	if m.FireID == "" && m.StartedAt == nil && !hl.known {
		return controller.Errorf(controller.EINVALID, "a report needs offset, rtt and uncertainty, or fireId and startedAt")
	}
	if hl.known {
		c.setHealth(hl)
	} else {
		hl = c.getHealth()
	}
	if m.FireID != "" || m.StartedAt != nil {
		if m.FireID == "" || m.StartedAt == nil || !finite(*m.StartedAt) {
			return controller.Errorf(controller.EINVALID, "a fire report needs both fireId and startedAt (server time, Unix ms)")
		}
		if err := c.hub.fires.report(c, m.FireID, *m.StartedAt, hl, at); err != nil {
			return err
		}
		c.hub.presence.changed(true)
		return nil
	}
	c.hub.presence.changed(false)
	return nil
}

// handleMediaReport records a stage screen's readiness for a media item,
// with its clock figures when the report carries them too; a fire's or a
// moment's figures do not come with it. A change counts as one of health.
func (c *client) handleMediaReport(m protocol.ReportMsg, hl health, moment bool) error {
	if moment || m.FireID != "" || m.StartedAt != nil {
		return controller.Errorf(controller.EINVALID, "a media report carries no fire or frame figures")
	}
	if err := c.checkMediaReport(*m.Media); err != nil {
		return err
	}
	changed := c.keepMedia(*m.Media)
	if hl.known {
		c.setHealth(hl)
		changed = true
	}
	if changed {
		c.hub.presence.changed(false)
	}
	return nil
}

// reportHealth checks the clock figures of a report; known is false when
// it carries none.
func reportHealth(m protocol.ReportMsg) (health, error) {
	if m.Offset == nil && m.RTT == nil && m.Uncertainty == nil {
		return health{}, nil
	}
	if m.Offset == nil || m.RTT == nil || m.Uncertainty == nil {
		return health{}, controller.Errorf(controller.EINVALID, "a clock report needs offset, rtt and uncertainty together")
	}
	o, r, u := *m.Offset, *m.RTT, *m.Uncertainty
	switch {
	case !finite(o) || math.Abs(o) > maxOffsetMs:
		return health{}, controller.FieldError("offset", "must be a number of ms within ±%d", maxOffsetMs)
	case !finite(r) || r < 0 || r > maxRTTMs:
		return health{}, controller.FieldError("rtt", "must be between 0 and %d ms", maxRTTMs)
	case !finite(u) || u < 0 || u > maxRTTMs:
		return health{}, controller.FieldError("uncertainty", "must be between 0 and %d ms", maxRTTMs)
	}
	return health{known: true, offset: o, rtt: r, uncertainty: u}, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
