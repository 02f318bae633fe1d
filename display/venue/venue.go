// Package venue makes district halls (điểm cầu) follow the province's
// ceremony (issue #15). A hall runs its own phatdong server, whose NATS
// node links out to the province's as a leaf node (display/node admits it
// with the hall's venue credential, and lets it publish only under its own
// subjects). Over that link:
//
//   - the province publishes every committed state on SubjectState;
//   - each hall asks the province every second for its status
//     (StatusSubject): the request carries the hall's figures (screens,
//     clock, how its screens started the last moment), the reply the
//     province's time (a clock-sync sample, as a screen's), its sequence
//     and the hall's delay; a hall that finds itself behind asks for a
//     snapshot (SnapshotSubject).
//
// Only the primary answers and publishes, so a hall linked to either
// server of a pair follows the primary, and of two primaries the one of
// the highest epoch. A hall's server mirrors what it gets into its own
// engine (controller.Engine.Mirror) and tells its screens the province's
// time, so they start the moment at the province's instant plus the
// hall's delay. Nothing here is a transport: NATS carries everything.
package venue

import (
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// SubjectState is where the province publishes every committed state.
const SubjectState = "phatdong.province.state"

// Timing of the link.
const (
	// StatusEvery is how often a hall asks for the province's status once
	// its clock estimate is made (it asks faster before, as a screen does).
	StatusEvery = time.Second
	// LinkTimeout is how long without an answer (or, on the province,
	// without a status) makes a link down.
	LinkTimeout = 3 * time.Second
	// requestTimeout bounds one request over the link: a long way (a
	// satellite hop, a congested VPN) still answers within it.
	requestTimeout = 2 * time.Second
	// maxMessage bounds what either side decodes (a show is well under).
	maxMessage = 2 << 20
)

// The subjects below are under node.VenueSubjects(id), the only ones a
// hall's link may publish on; SubjectState is under node.ProvinceSubjects.

// StatusSubject is where hall id asks for the province's status.
func StatusSubject(id string) string { return "phatdong.venue." + id + ".status" }

// SnapshotSubject is where hall id asks for the province's show and state.
func SnapshotSubject(id string) string { return "phatdong.venue." + id + ".snapshot" }

// Update is a state of the province: what it publishes, and with the show,
// its answer to a snapshot request.
type Update struct {
	State controller.State `json:"state"`
	Show  *controller.Show `json:"show,omitempty"`
}

// Status is a hall's request for the province's status, with its figures.
type Status struct {
	// T0 is when the hall sent it, on its own clock (Unix ms).
	T0 float64 `json:"t0"`
	// Screens counts the hall's stage and presenter screens.
	Screens int `json:"screens"`
	// The hall's estimate of the province's clock.
	OffsetMs float64 `json:"offsetMs"`
	ErrorMs  float64 `json:"errorMs"`
	RTTMs    float64 `json:"rttMs"`
	Synced   bool    `json:"synced"`
	// Epoch and Seq are the province's state the hall shows.
	Epoch uint64 `json:"epoch"`
	Seq   uint64 `json:"seq"`
	// Fire is how the hall's screens started the last moment.
	Fire *protocol.FireSummary `json:"fire,omitempty"`
}

// Reply is the province's answer to a Status.
type Reply struct {
	// T1 and T2 are when the province received the status and answered,
	// on its clock (Unix ms): with T0 and the hall's arrival time, a
	// clock-sync sample.
	T1 float64 `json:"t1"`
	T2 float64 `json:"t2"`
	// Epoch, Seq and ShowRev are the province's state now.
	Epoch   uint64 `json:"epoch"`
	Seq     uint64 `json:"seq"`
	ShowRev uint64 `json:"showRev"`
	// Name and DelayMs are the hall's, as the province keeps them.
	Name    string `json:"name"`
	DelayMs int64  `json:"delayMs"`
}

// Known is a hall the province created: a live venue credential.
type Known struct {
	ID      string
	Name    string
	DelayMs int64
}

// newer reports whether a state of (epoch, seq) is newer than (hEpoch,
// hSeq): a higher epoch wins whatever its sequence.
func newer(epoch, seq, hEpoch, hSeq uint64) bool {
	return epoch > hEpoch || epoch == hEpoch && seq > hSeq
}
