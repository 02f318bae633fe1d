package protocol

// The pair's roles (Pair.Role).
const (
	RolePrimary = "primary" // drives the screens and takes commands
	RoleStandby = "standby" // follows the primary; refuses commands
)

// CodeNotPrimary refuses a command or a press sent to a standby server:
// only the primary takes them.
const CodeNotPrimary = "not_primary"

// Pair is the primary–standby pair as operators see it, in the devices
// message (issue #14); absent when the server has never had a peer:
//
//	{"role":"primary","epoch":1,"peer":"10.0.0.12","connected":true,"lastContact":1744600000000,"inSync":true,"seq":57,"peerSeq":57,"lagCommands":0,"lagMs":0}
type Pair struct {
	// Role is this server's: RolePrimary or RoleStandby.
	Role string `json:"role"`
	// Epoch rises with every takeover; the primary of the highest epoch
	// is the one every device follows.
	Epoch uint64 `json:"epoch"`
	// Peer is the other server's address, as this one knows it.
	Peer string `json:"peer,omitempty"`
	// Connected: the servers heard from each other in the last 3 s.
	Connected bool `json:"connected"`
	// LastContact is when this server last heard from the other, Unix
	// ms; 0 before it ever did.
	LastContact int64 `json:"lastContact,omitempty"`
	// InSync: the primary answers a command only once the standby holds
	// it on disk. False means the primary goes on alone.
	InSync bool `json:"inSync"`
	// Seq is the primary's sequence, PeerSeq the last one the standby
	// applied, as far as this server knows.
	Seq     uint64 `json:"seq"`
	PeerSeq uint64 `json:"peerSeq"`
	// LagCommands is how many commands the standby has yet to apply;
	// LagMs how long the oldest of them has waited.
	LagCommands uint64 `json:"lagCommands"`
	LagMs       int64  `json:"lagMs"`
	// Diverged: the standby's state differed from the primary's at
	// DivergedSeq (a digest mismatch); it re-synchronised from a snapshot
	// of the primary's. Operators should know: it means a fault.
	Diverged    bool   `json:"diverged,omitempty"`
	DivergedSeq uint64 `json:"divergedSeq,omitempty"`
	// Unsynced counts the commands the primary acknowledged while the
	// standby was out of sync (they were not on the standby's disk when
	// answered).
	Unsynced uint64 `json:"unsynced,omitempty"`
	// MediaMissing counts the films and stills of the show the standby
	// does not hold yet (issue #16): it copies them from the primary; a
	// takeover before it is done would show no film.
	MediaMissing int `json:"mediaMissing,omitempty"`
}

// Warnings of the pair, in DevicesMsg.Warnings.
const (
	// WarnStandbyOutOfSync: the primary goes on without the standby.
	WarnStandbyOutOfSync = "standby_out_of_sync"
	// WarnStandbyDiverged: the standby's state differed from the primary's.
	WarnStandbyDiverged = "standby_diverged"
	// WarnPrimaryLost: a standby no longer hears the primary.
	WarnPrimaryLost = "primary_lost"
	// WarnStandbyMedia: the standby does not hold all the show's media yet.
	WarnStandbyMedia = "standby_media"
)

// ServerInfo is one server of the pair as devices know it, in the welcome
// message and at GET /api/v1/pair (issue #14): where it is, its role and
// the epoch it is at. A device follows the primary of the highest epoch:
//
//	{"urls":["http://10.0.0.11:8080"],"role":"primary","epoch":1,"self":true}
type ServerInfo struct {
	// URLs are the server's base URLs (scheme://host:port), the LAN
	// addresses first.
	URLs  []string `json:"urls"`
	Role  string   `json:"role"`
	Epoch uint64   `json:"epoch"`
	// Self marks the server that answered.
	Self bool `json:"self,omitempty"`
}

// PairInfo is GET /api/v1/pair: the servers of the pair, this one first;
// public (no credential), for devices to find the primary:
//
//	{"servers":[{"urls":["http://10.0.0.12:8080"],"role":"standby","epoch":0,"self":true},{"urls":["http://10.0.0.11:8080"],"role":"primary","epoch":0}]}
type PairInfo struct {
	Servers []ServerInfo `json:"servers"`
}

// WitnessReport is a button agent's account of the primary, sent every
// second to the standby (POST /api/v1/witness, with the button's key):
// the witness of an automatic takeover, which the standby makes only when
// a third machine has lost the primary too:
//
//	{"epoch":0,"lostMs":6200}
type WitnessReport struct {
	// Epoch is the highest epoch the agent saw.
	Epoch uint64 `json:"epoch"`
	// LostMs is how long the agent has not heard the primary (no state,
	// no answer, no link); 0 while it hears it.
	LostMs int64 `json:"lostMs"`
}

// TypeServers is the servers message: the pair's servers changed (a
// standby joined, a takeover), sent to every device so that one which
// connected while its server was alone learns of the other:
//
//	{"type":"servers","servers":[{"urls":["http://10.0.0.11:8080"],"role":"primary","epoch":0,"self":true},{"urls":["http://10.0.0.12:8080"],"role":"standby","epoch":0}]}
const TypeServers = "servers"

// ServersMsg carries the pair's servers, this one first (as the welcome).
type ServersMsg struct {
	Type    string       `json:"type"`
	Servers []ServerInfo `json:"servers"`
}
