package protocol

// Role is what a device is to the server, named in its hello.
type Role string

// Roles. Screens (stage, presenter, monitor) are read-only; an operator
// needs the operator token, a button the button key.
const (
	RoleOperator  Role = "operator"
	RoleButton    Role = "button"
	RoleStage     Role = "stage"
	RolePresenter Role = "presenter"
	RoleMonitor   Role = "monitor"
)

// HelloMsg is a client's first message, which introduces it (protocol §1):
//
//	{"type":"hello","role":"button","name":"Nút 1","button":"nut-1","key":"…"}
type HelloMsg struct {
	Type   string `json:"type"`
	Role   Role   `json:"role"`
	Name   string `json:"name,omitempty"`
	Token  string `json:"token,omitempty"`  // operator; or a stage or presenter paired by QR (a screen credential)
	Button string `json:"button,omitempty"` // button only: its id
	Key    string `json:"key,omitempty"`    // button only
	// HeartbeatMs, when set, promises a message (a time request serves) at
	// least this often; the server cuts a socket silent for three of them
	// (and at least MinSilenceMs): a frozen tab, a sleeping tablet.
	HeartbeatMs int `json:"heartbeatMs,omitempty"`
}

// Bounds of HelloMsg.HeartbeatMs, and the least silence that cuts.
const (
	MinHeartbeatMs = 1000
	MaxHeartbeatMs = 60000
	MinSilenceMs   = 10000
)

// WelcomeMsg answers a good hello (protocol §1):
//
//	{"type":"welcome","clientId":"c42","role":"stage","name":"Màn LED chính","serverTime":1744600000000.125}
type WelcomeMsg struct {
	Type       string  `json:"type"`
	ClientID   string  `json:"clientId"`
	Role       Role    `json:"role"`
	Name       string  `json:"name,omitempty"`
	Button     string  `json:"button,omitempty"`
	ServerTime float64 `json:"serverTime"`
	// Servers are the pair's servers, this one first, when it has a
	// standby or is one (ServerInfo); absent for a server alone.
	Servers []ServerInfo `json:"servers,omitempty"`
}
