package protocol

import "encoding/json"

// CommandMsg carries an operator's command (protocol §4): any command of
// POST /api/v1/commands, kept raw for the command's own strict decoder:
//
//	{"type":"command","ref":"r17","command":{"type":"next","id":"mc-7f3a-17","seq":41}}
type CommandMsg struct {
	Type    string          `json:"type"`
	Ref     string          `json:"ref,omitempty"`
	Command json.RawMessage `json:"command"`
}
