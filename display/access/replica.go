package access

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/phatdong/phatdong/controller"
)

// adminPrefix starts the id a server's administrator's token has in the
// pair: on every server AdminID means "this server's own".
const adminPrefix = "admin@"

// maxIDLen bounds an imported credential's id, in runes.
const maxIDLen = 128

// AdminIDOf is the id the administrator's token of the server serverID
// has in the records Export gives.
func AdminIDOf(serverID string) string { return adminPrefix + serverID }

// record is a credential as the pair exchanges it: no last use (it changes
// all the time and is each server's own), and the digest of its secret.
type record struct {
	ID        string `json:"id"`
	Kind      Kind   `json:"kind"`
	Label     string `json:"label"`
	Button    string `json:"button,omitempty"`
	DelayMs   int64  `json:"delayMs,omitempty"`
	CreatedAt int64  `json:"createdAt,omitempty"`
	RevokedAt int64  `json:"revokedAt,omitempty"`
	Admin     bool   `json:"admin,omitempty"`
	Shared    bool   `json:"shared,omitempty"`
	Digest    []byte `json:"digest"`
}

// exported is Export's answer, kept until a credential changes.
type exported struct {
	version string
	data    []byte
}

// Export returns every credential this registry holds, encoded for the
// standby's Import, and their version: a short hex digest of the records,
// the same for the same credentials. The version changes when a
// credential is created, revoked, relabelled, given another delay or
// imported, not when one is used. This server's administrator's token is named AdminIDOf(ServerID).
func (r *Registry) Export() (version string, records []byte, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.serverID == "" {
		return "", nil, fmt.Errorf("access: export: this server has no id in the pair (Options.ServerID)")
	}
	if r.exported == nil {
		out := make([]record, 0, len(r.byID))
		for _, e := range r.byID {
			rec := recordOf(e)
			if e.ID == AdminID {
				rec.ID, rec.Label = AdminIDOf(r.serverID), adminLabel(r.serverID)
			}
			out = append(out, rec)
		}
		slices.SortFunc(out, func(a, b record) int { return cmp.Compare(a.ID, b.ID) })
		data, err := json.Marshal(out)
		if err != nil {
			return "", nil, fmt.Errorf("access: export: %w", err)
		}
		sum := sha256.Sum256(data)
		r.exported = &exported{version: hex.EncodeToString(sum[:8]), data: data}
	}
	return r.exported.version, slices.Clone(r.exported.data), nil
}

func recordOf(e *entry) record {
	return record{ID: e.ID, Kind: e.Kind, Label: e.Label, Button: e.Button, DelayMs: e.DelayMs, CreatedAt: e.CreatedAt,
		RevokedAt: e.RevokedAt, Admin: e.Admin, Shared: e.Shared, Digest: slices.Clone(e.Digest)}
}

// adminLabel is the label of server id's administrator's token elsewhere.
func adminLabel(id string) string {
	if r := []rune(id); len(r) > 12 {
		id = string(r[:12])
	}
	return "Quản trị viên máy chủ " + id
}

// Import makes the records of another server's Export (the primary's)
// this registry's own, and stores them. A credential unknown here is added
// as exported, live or revoked; one known here follows the other's label
// delay and revocation (OnRevoke's functions are told, as by Revoke), but a
// credential revoked here stays revoked. Credentials absent from records
// are left as they are, and this server's own administrator's token (AdminID
// or AdminIDOf(ServerID)) is skipped. An invalid record refuses the whole
// import, changing nothing. A record that contradicts the one known here
// under its id (another secret, kind or button) is logged and skipped,
// except another server's administrator's token, whose secret follows that
// server's, and a revoked shared key, replaced by a new one.
func (r *Registry) Import(records []byte) error {
	var in []record
	if err := json.Unmarshal(records, &in); err != nil {
		return fmt.Errorf("access: import: the records are not valid JSON: %w", err)
	}
	seen := make(map[string]bool, len(in))
	for i, rec := range in {
		if err := checkRecord(rec); err != nil {
			return fmt.Errorf("access: import: record %d (id %q): %w", i, rec.ID, err)
		}
		if seen[rec.ID] {
			return fmt.Errorf("access: import: record %d: id %q appears twice", i, rec.ID)
		}
		seen[rec.ID] = true
	}
	var told []Credential
	var err error
	r.mu.Lock()
	for _, rec := range in {
		if rec.ID == AdminID || rec.ID == AdminIDOf(r.serverID) {
			continue
		}
		var shut bool
		if shut, err = r.importLocked(rec); err != nil {
			err = fmt.Errorf("access: import %s: %w", rec.ID, err)
			break
		}
		if shut {
			told = append(told, r.byID[rec.ID].Credential)
		}
	}
	listeners := slices.Clone(r.revoked)
	r.mu.Unlock()
	for _, c := range told {
		for _, f := range listeners {
			f(c)
		}
	}
	return err
}

// importLocked applies one valid record, and reports whether a secret that
// opened here opens no more.
func (r *Registry) importLocked(rec record) (shut bool, err error) {
	e, ok := r.byID[rec.ID]
	if !ok {
		ne := &entry{Credential: Credential{ID: rec.ID, Kind: rec.Kind, Label: rec.Label, Button: rec.Button,
			DelayMs: rec.DelayMs, CreatedAt: rec.CreatedAt, RevokedAt: rec.RevokedAt, Admin: rec.Admin, Shared: rec.Shared}, Digest: rec.Digest}
		if err := r.putLocked(ne); err != nil {
			return false, err
		}
		r.add(ne)
		return false, nil
	}
	next := *e
	if e.Kind != rec.Kind || e.Button != rec.Button || e.Admin != rec.Admin || e.Shared != rec.Shared ||
		!bytes.Equal(e.Digest, rec.Digest) {
		switch {
		case rec.ID == SharedID && !e.Live():
			// Another shared key than the one revoked here: a new credential.
			next = entry{Credential: Credential{ID: rec.ID, Kind: rec.Kind, Label: rec.Label, Button: rec.Button,
				CreatedAt: rec.CreatedAt, RevokedAt: rec.RevokedAt, Shared: true}, Digest: rec.Digest}
			return false, r.replaceLocked(e, next)
		case e.Admin && rec.Admin && strings.HasPrefix(rec.ID, adminPrefix):
			next.Digest = rec.Digest // that server was given another token
			shut = true
		default:
			r.log.Warn("access: an imported credential contradicts the one known here; kept this server's",
				"id", rec.ID, "label", rec.Label)
			return false, nil
		}
	}
	next.Label, next.DelayMs = rec.Label, rec.DelayMs
	if e.Live() && rec.RevokedAt != 0 {
		next.RevokedAt, shut = rec.RevokedAt, true
	}
	if next.Label == e.Label && next.DelayMs == e.DelayMs && next.RevokedAt == e.RevokedAt &&
		bytes.Equal(next.Digest, e.Digest) {
		return false, nil
	}
	if err := r.replaceLocked(e, next); err != nil {
		return false, err
	}
	return shut, nil
}

// checkRecord checks an imported record as Create checks a new credential.
func checkRecord(rec record) error {
	if rec.ID == "" {
		return controller.FieldError("id", "a credential needs an id")
	}
	if err := checkText("id", rec.ID, maxIDLen); err != nil {
		return err
	}
	if len(rec.Digest) != sha256.Size {
		return controller.FieldError("digest", "is %d bytes long, want %d", len(rec.Digest), sha256.Size)
	}
	if rec.CreatedAt < 0 || rec.RevokedAt < 0 {
		return controller.FieldError("revokedAt", "times cannot be negative")
	}
	isAdmin := rec.ID == AdminID || strings.HasPrefix(rec.ID, adminPrefix)
	switch {
	case rec.Admin != isAdmin:
		return controller.FieldError("admin", "only an id %q or %q… is an administrator's token", AdminID, adminPrefix)
	case rec.Shared != (rec.ID == SharedID):
		return controller.FieldError("shared", "only the id %q is the shared key", SharedID)
	case rec.Admin && rec.RevokedAt != 0:
		return controller.FieldError("revokedAt", "an administrator's token cannot be revoked")
	case rec.Shared:
		if rec.Kind != KindButton || rec.Button != SharedButton || rec.DelayMs != 0 {
			return controller.FieldError("button", "the shared key is a button credential pressing as %q", SharedButton)
		}
		if rec.Label == "" {
			return controller.FieldError("label", "a credential needs a label that says whose device it is")
		}
		return checkText("label", rec.Label, MaxLabelLen)
	}
	return checkNew(rec.Kind, rec.Label, rec.Button, rec.DelayMs)
}
