package controller

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest is the fingerprint of a state: the hex of the first 16 bytes of
// the SHA-256 of its encoding. encoding/json is canonical enough for this:
// struct fields come out in declaration order and map keys sorted. An
// empty list of presses and a missing one (null) are the same state, as
// they are after a round trip through the store, so both encode as [].
// A standby compares its own state with the primary's by their digests.
func Digest(st State) string {
	c := st.Clone()
	if c.Launch.Presses == nil {
		c.Launch.Presses = []Press{}
	}
	b, err := json.Marshal(c)
	if err != nil {
		// A State holds only strings, numbers and booleans: it always
		// encodes. Should it ever fail, no digest matches it.
		return "unencodable:" + err.Error()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
