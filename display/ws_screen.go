package display

import "github.com/phatdong/phatdong/display/access"

// checkScreen checks a stage or presenter screen's hello. A screen
// without a token opens as before, unpaired; a screen with one was
// paired by a QR code, and its token must open a live screen credential:
// a revoked one is refused, so the page says it is no longer paired.
func (c *client) checkScreen(token string) error {
	if token == "" {
		return nil
	}
	id, err := c.identify(token, access.KindScreen, "a screen's credential")
	if err != nil {
		return err
	}
	c.credential = id
	return nil
}
