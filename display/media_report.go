package display

import (
	"slices"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// Bounds of a screen's media readiness report (issue #16).
const (
	// maxMediaPerScreen is how many media items a stage screen's
	// readiness is kept for: the current segment's, the next one's and
	// one more while the show moves on. Older ones are dropped.
	maxMediaPerScreen = 3
	// maxMediaErrorLen bounds a screen's account of a file it cannot play.
	maxMediaErrorLen = 300
	// maxReadMediaMs bounds the length a screen's decoder may report: a
	// day, far above any film a show accepts.
	maxReadMediaMs = 24 * 3600 * 1000
)

// checkMediaReport validates a stage screen's readiness for one media
// item: {"hash":…,"state":"loading|ready|error","progress":0..1,…}.
func (c *client) checkMediaReport(r protocol.MediaReadiness) error {
	if c.role != RoleStage {
		return controller.Errorf(controller.EFORBIDDEN, "only a stage screen reports its media readiness")
	}
	switch {
	case !isMediaHash(r.Hash):
		return controller.FieldError("media.hash", "must be a SHA-256 in 64 lowercase hex digits")
	case r.State != protocol.MediaLoading && r.State != protocol.MediaReady && r.State != protocol.MediaError:
		return controller.FieldError("media.state", "unknown state %q: use loading, ready or error", r.State)
	case !finite(r.Progress) || r.Progress < 0 || r.Progress > 1:
		return controller.FieldError("media.progress", "must be a number between 0 and 1")
	case r.DurationMs < 0 || r.DurationMs > maxReadMediaMs:
		return controller.FieldError("media.durationMs", "must be between 0 and %d ms", maxReadMediaMs)
	}
	return checkText("media.error", r.Error, maxMediaErrorLen)
}

// isMediaHash reports whether s is a media item's name: 64 lowercase hex
// digits.
func isMediaHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; (b < '0' || b > '9') && (b < 'a' || b > 'f') {
			return false
		}
	}
	return true
}

// keepMedia records a checked readiness report as the screen's latest for
// its hash, most recent last, dropping the oldest beyond
// maxMediaPerScreen. It reports whether anything changed.
func (c *client) keepMedia(r protocol.MediaReadiness) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.media, func(m protocol.MediaReadiness) bool { return m.Hash == r.Hash })
	if i >= 0 {
		if c.media[i] == r && i == len(c.media)-1 {
			return false
		}
		changed := c.media[i] != r
		c.media = append(slices.Delete(c.media, i, i+1), r)
		return changed
	}
	c.media = append(c.media, r)
	if n := len(c.media); n > maxMediaPerScreen {
		c.media = slices.Delete(c.media, 0, n-maxMediaPerScreen)
	}
	return true
}

// getMedia returns a copy of the screen's readiness reports, nil before
// any.
func (c *client) getMedia() []protocol.MediaReadiness {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.media)
}
