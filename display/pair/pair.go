// Package pair is the rules of the primary–standby pair (issue #14): what
// the primary waits for before it answers a command, how a standby that
// fell behind is brought up, when a standby starts over from a snapshot,
// and what each server tells its operators of the pair.
//
// The transport is NATS (display/node): the primary publishes every
// committed entry into a stream stored on the standby and waits, at most
// Config.Wait, for the standby's JetStream to acknowledge it on disk; the
// standby's engine applies the stream in order; the two exchange a hello
// every HelloEvery by request/reply across the leaf link. This package
// writes only the rules on top.
package pair

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/phatdong/phatdong/controller"
)

// Subjects of the pair's request/reply, across the leaf link.
const (
	subjectHello    = "phatdong.pair.hello"
	subjectSnapshot = "phatdong.pair.snapshot"
	// subjectCredentials: the standby asks for the primary's credentials
	// when their version changed.
	subjectCredentials = "phatdong.pair.credentials"
)

// Timing of the pair.
const (
	// DefaultWait bounds how long the primary waits for the standby's
	// acknowledgement of an entry before it goes on alone.
	DefaultWait = 100 * time.Millisecond
	// HelloEvery is how often the standby says hello.
	HelloEvery = 500 * time.Millisecond
	// ContactTimeout: the servers are not in contact once they have not
	// heard from each other for this long.
	ContactTimeout = 3 * time.Second
	// requestTimeout bounds a hello; snapshotTimeout a snapshot.
	requestTimeout  = time.Second
	snapshotTimeout = 5 * time.Second
	// sendTimeout bounds one entry sent while catching up.
	sendTimeout = 2 * time.Second
)

// entryMsg is one message of the standby stream: an entry the primary
// committed, with the show it put in use when it replaced the show.
type entryMsg struct {
	Entry controller.Entry `json:"entry"`
	Show  *controller.Show `json:"show,omitempty"`
}

func encodeEntry(e controller.Entry, show *controller.Show) ([]byte, error) {
	body, err := json.Marshal(entryMsg{Entry: e, Show: show})
	if err != nil {
		return nil, fmt.Errorf("pair: encode entry %d: %w", e.Answer.Seq, err)
	}
	return body, nil
}

// hello is what the standby tells the primary every HelloEvery.
type hello struct {
	// Following is the id of the primary whose state the standby holds
	// ("" before its first snapshot).
	Following string `json:"following"`
	// Seq and Digest are the standby's applied sequence and its state's
	// digest.
	Seq    uint64 `json:"seq"`
	Digest string `json:"digest"`
	// Waiting counts the entries in its stream not yet applied.
	Waiting uint64 `json:"waiting"`
	// Gap is the sequence of an entry that arrived ahead of its turn (an
	// entry before it is missing), 0 when none.
	Gap uint64 `json:"gap,omitempty"`
	// DivergedSeq is where the standby last found its state different
	// from the primary's, 0 when never.
	DivergedSeq uint64 `json:"divergedSeq,omitempty"`
	// URLs are where the standby's pages are served.
	URLs []string `json:"urls,omitempty"`
	// MediaMissing counts the show's media files it does not hold yet.
	MediaMissing int `json:"mediaMissing,omitempty"`
}

// helloReply is the primary's answer to a hello.
type helloReply struct {
	ID       string   `json:"id"` // the primary's id
	Epoch    uint64   `json:"epoch"`
	Seq      uint64   `json:"seq"`
	InSync   bool     `json:"inSync"`
	Unsynced uint64   `json:"unsynced"`
	Resync   bool     `json:"resync"` // start over from a snapshot
	URLs     []string `json:"urls,omitempty"`
	// LagMs is how long the oldest entry the standby has yet to apply
	// has waited, as the primary sees it.
	LagMs int64 `json:"lagMs"`
	// DivergedSeq echoes the standby's, so both sides show it.
	DivergedSeq uint64 `json:"divergedSeq,omitempty"`
	// Credentials is the version of the primary's credentials ("" when
	// they are not replicated).
	Credentials string `json:"credentials,omitempty"`
}

// credentialsMsg is the primary's credentials, for a standby whose copy
// is of another version.
type credentialsMsg struct {
	Version string `json:"version"`
	Records []byte `json:"records"`
}

// Credentials is what a server's access registry gives the pair: the
// operators' and buttons' credentials (their secrets' digests), so that
// after a takeover every tablet and button still opens on the new primary
// (display/access's Registry has it).
type Credentials interface {
	// Export is every credential record this server holds, and a version
	// that changes when one is created, revoked or imported.
	Export() (version string, records []byte, err error)
	// Import makes the primary's records this standby's too.
	Import(records []byte) error
}

// snapshotMsg is the primary's show and state, for a standby that starts
// over.
type snapshotMsg struct {
	ID    string           `json:"id"`
	Show  *controller.Show `json:"show"`
	State controller.State `json:"state"`
	At    int64            `json:"at"`
}
