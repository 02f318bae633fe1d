package main

import (
	"github.com/phatdong/phatdong/display/cues"
	"github.com/phatdong/phatdong/protocol"
)

// startCues starts the sender of the launch's cues, subscribed to the
// engine. A district hall's server sends none (the province does); a
// standby's sends only once it is the primary. A sender that cannot
// start is logged and left out: the show runs without its cues.
func (s *Server) startCues() {
	if s.clock != nil {
		return
	}
	sender, err := cues.Start(cues.Config{Primary: s.engine.Primary, SentFile: s.cfg.DB + ".cues-sent.json",
		Log: s.log.With("part", "cues"), Registry: s.api.Registry(), Changed: s.api.CuesChanged})
	if err != nil {
		s.log.Error("cues: the launch's cues will NOT be sent", "err", err)
		return
	}
	s.cues = sender
	s.engine.Subscribe(sender)
}

// cueOutcomes is display.Config.Cues: how the cues of a fire went, none
// without a sender. s.cues is set before the server serves, so before
// any operator can ask.
func (s *Server) cueOutcomes(fireID string) []protocol.CueOutcome {
	if s.cues == nil {
		return nil
	}
	return s.cues.Outcomes(fireID)
}
