package rundown

import (
	"strconv"

	"github.com/phatdong/phatdong/controller"
)

// ShowRows is a show's programme as a table with a header row, in the
// form Parse reads back: durations as mm:ss, kinds by their labels.
func ShowRows(s *controller.Show) [][]string {
	head := make([]string, len(Columns))
	for i, c := range Columns {
		head[i] = c.Label()
	}
	rows := [][]string{head}
	for i, g := range s.Segments {
		rows = append(rows, []string{strconv.Itoa(i + 1), g.Title, FormatDuration(g.DurationSec),
			g.Speaker, g.Notes, KindLabels[g.Kind]})
	}
	return rows
}

// Apply returns a copy of base whose programme is segs. A segment takes
// the id of base's segment with the same title (case and diacritics
// aside) when its own id is not in base, so the segment on stage stays
// current. A segment whose id is in base keeps its film or still, its
// behaviour at zero and its colour thresholds when its duration is
// unchanged; everything else about the show (title, launch settings…) is
// base's. The result is normalized and validated as a show file is.
func Apply(base *controller.Show, segs []controller.Segment) (*controller.Show, error) {
	s := base.Clone()
	s.Segments = make([]controller.Segment, len(segs))
	for i, g := range adoptIDs(base, segs) {
		if j := base.Index(g.ID); j >= 0 {
			old := base.Segments[j]
			g.Media, g.OnZero = old.Media, old.OnZero
			if old.DurationSec == g.DurationSec {
				g.WarnSec, g.DangerSec = old.WarnSec, old.DangerSec
			}
		}
		s.Segments[i] = g
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// adoptIDs returns a copy of segs in which a segment whose id base lacks
// takes the id of base's first unclaimed segment with the same title.
func adoptIDs(base *controller.Show, segs []controller.Segment) []controller.Segment {
	out := append([]controller.Segment(nil), segs...)
	used := make(map[string]bool, len(out))
	for _, g := range out {
		used[g.ID] = true
	}
	for i := range out {
		if base.Index(out[i].ID) >= 0 {
			continue
		}
		title := fold(out[i].Title)
		for _, b := range base.Segments {
			if !used[b.ID] && fold(b.Title) == title {
				delete(used, out[i].ID)
				out[i].ID = b.ID
				used[b.ID] = true
				break
			}
		}
	}
	return out
}
