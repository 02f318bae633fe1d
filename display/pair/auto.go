package pair

import (
	"sync"
	"time"

	"github.com/phatdong/phatdong/controller"
	"github.com/phatdong/phatdong/protocol"
)

// witnessFresh is how recent a witness report must be to count.
const witnessFresh = 2 * time.Second

// autoEvery is how often the standby looks at its automatic takeover.
const autoEvery = 250 * time.Millisecond

// witnesses are the button agents' latest reports of the primary, as a
// standby heard them.
type witnesses struct {
	mu   sync.Mutex
	last map[string]witnessed // by the agent's name
}

type witnessed struct {
	report protocol.WitnessReport
	at     time.Time
}

// Witness takes a button agent's report of the primary (POST
// /api/v1/witness); witness names the agent. Only a standby keeps them: they decide its automatic
// takeover.
func (p *Pair) Witness(witness string, r protocol.WitnessReport) {
	if !p.Standby() {
		return
	}
	p.witnesses.mu.Lock()
	defer p.witnesses.mu.Unlock()
	if p.witnesses.last == nil {
		p.witnesses.last = map[string]witnessed{}
	}
	p.witnesses.last[witness] = witnessed{report: r, at: time.Now()}
}

// witness names a button agent that, in a report of the last
// witnessFresh, has not heard the primary for at least lost either, at no
// higher epoch than epoch (an agent that saw a higher epoch knows of a
// newer primary: no takeover then); "" when none has.
func (w *witnesses) witness(lost time.Duration, epoch uint64, now time.Time) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	for button, r := range w.last {
		if now.Sub(r.at) <= witnessFresh && r.report.Epoch <= epoch && time.Duration(r.report.LostMs)*time.Millisecond >= lost {
			return button
		}
	}
	return ""
}

// autoTakeover takes over by itself when this standby has not heard the
// primary for cfg.AutoTakeover and a witness has not either (docs/
// standby.md: the trade-off). It runs, every autoEvery, only when the mode
// is on.
func (p *Pair) autoTakeover() {
	s := p.standby.Load()
	if s == nil {
		return
	}
	silent, ok := s.silentFor(time.Now())
	if !ok || silent < p.cfg.AutoTakeover {
		return
	}
	epoch := p.engine.Epoch()
	witness := p.witnesses.witness(p.cfg.AutoTakeover, epoch, time.Now())
	if witness == "" {
		return
	}
	p.log.Warn("automatic takeover: the primary is silent, and a witness has lost it too",
		"silent", silent.Round(time.Millisecond), "witness", witness)
	actor := controller.Actor{Role: "system", Name: "tự động (nhân chứng " + witness + ")"}
	if _, err := p.Takeover(actor); err != nil {
		p.log.Error("automatic takeover", "err", err)
	}
}

// silentFor is how long the standby has not heard the primary; false
// when it never did in this run (a standby that never saw its primary
// takes over by no rule).
func (s *standbySide) silentFor(now time.Time) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contact.IsZero() {
		return 0, false
	}
	return now.Sub(s.contact), true
}
