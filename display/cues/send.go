package cues

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/display/osc"
	"github.com/phatdong/phatdong/protocol"
)

// Timeout bounds the sending of one cue.
const Timeout = 2 * time.Second

// prepared is a cue made ready to go: its OSC packet encoded and its UDP
// socket dialled (no packet is sent by a dial), or its HTTP request's
// parts checked, so that at its instant only the write is left.
type prepared struct {
	cue    controller.Cue
	packet []byte
	conn   net.Conn
}

// prepare readies c; the error says why it cannot be sent.
func prepare(ctx context.Context, c controller.Cue) (*prepared, error) {
	p := &prepared{cue: c}
	if c.Kind != controller.CueOSC {
		return p, nil
	}
	args, err := c.OSCArgs()
	if err != nil {
		return nil, failed(protocol.CueInvalid, err)
	}
	if p.packet, err = osc.Encode(osc.Message{Address: c.Address, Args: args}); err != nil {
		return nil, failed(protocol.CueInvalid, err)
	}
	dctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var d net.Dialer
	if p.conn, err = d.DialContext(dctx, "udp", c.Target); err != nil {
		return nil, fmt.Errorf("cues: dial %s: %w", c.Target, err)
	}
	return p, nil
}

// send sends the cue and closes what prepare opened.
func (p *prepared) send(ctx context.Context, client *http.Client) error {
	if p.conn != nil {
		defer p.conn.Close()
		_ = p.conn.SetWriteDeadline(time.Now().Add(Timeout))
		if _, err := p.conn.Write(p.packet); err != nil {
			return fmt.Errorf("cues: send to %s: %w", p.cue.Target, err)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var body io.Reader
	if p.cue.Body != "" {
		body = strings.NewReader(p.cue.Body)
	}
	req, err := http.NewRequestWithContext(ctx, p.cue.Method, p.cue.Target, body)
	if err != nil {
		return failed(protocol.CueInvalid, fmt.Errorf("cues: request %s: %w", p.cue.Target, err))
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType(p.cue.Body))
	}
	req.Header.Set("User-Agent", "phatdong-cues")
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("cues: %s %s: %w", p.cue.Method, p.cue.Target, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return &failure{reason: protocol.CueStatus, status: res.StatusCode,
			err: fmt.Errorf("cues: %s %s: status %s", p.cue.Method, p.cue.Target, res.Status)}
	}
	return nil
}

// close releases what prepare opened, for a cue never sent.
func (p *prepared) close() {
	if p.conn != nil {
		_ = p.conn.Close()
	}
}

// contentType guesses a body's type: JSON when it looks like it.
func contentType(body string) string {
	if b := strings.TrimSpace(body); strings.HasPrefix(b, "{") || strings.HasPrefix(b, "[") {
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}
