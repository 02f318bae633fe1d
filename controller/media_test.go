package controller_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/phatdong/phatdong/controller"
)

const testHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func film(ms int64) *controller.Media {
	return &controller.Media{Hash: testHash, Kind: controller.MediaVideo, Type: "video/mp4", Name: "phong-su.mp4", Size: 1 << 20, DurationMs: ms}
}

// showWithFilm is the test show whose "video" segment plays a film of ms.
func showWithFilm(t *testing.T, ms int64) *controller.Show {
	t.Helper()
	show := testShow(t)
	show.Segments[2].Media = film(ms)
	show.Normalize()
	if err := show.Validate(); err != nil {
		t.Fatal(err)
	}
	return show
}

func TestMediaValidation(t *testing.T) {
	still := func(m *controller.Media) *controller.Media {
		m.Kind, m.Type, m.DurationMs = controller.MediaImage, "image/png", 0
		return m
	}
	tests := []struct {
		name  string
		media *controller.Media
		field string
	}{
		{"a film", film(512_000), ""},
		{"a still", still(film(0)), ""},
		{"a short hash", &controller.Media{Hash: "abc", Kind: "video", Type: "video/mp4", Size: 1, DurationMs: 5000}, "hash"},
		{"an uppercase hash", func() *controller.Media { m := film(5000); m.Hash = strings.ToUpper(testHash); return m }(), "hash"},
		{"an unknown kind", func() *controller.Media { m := film(5000); m.Kind = "audio"; return m }(), "kind"},
		{"an unknown type", func() *controller.Media { m := film(5000); m.Type = "video/x-msvideo"; return m }(), "type"},
		{"a still's type on a film", func() *controller.Media { m := film(5000); m.Type = "image/png"; return m }(), "type"},
		{"empty", func() *controller.Media { m := film(5000); m.Size = 0; return m }(), "size"},
		{"over 4 GiB", func() *controller.Media { m := film(5000); m.Size = 4<<30 + 1; return m }(), "size"},
		{"a film under a second", film(999), "durationMs"},
		{"a film over six hours", film(6*3600*1000 + 1), "durationMs"},
		{"a still with a duration", func() *controller.Media { m := still(film(0)); m.DurationMs = 5000; return m }(), "durationMs"},
		{"a name with a control character", func() *controller.Media { m := film(5000); m.Name = "a\x00b"; return m }(), "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			show := testShow(t)
			show.Segments[2].Media = tt.media
			show.Normalize()
			err := show.Validate()
			var de *controller.Error
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.field != "" && (!errors.As(err, &de) || de.Field != "segments[2].media."+tt.field):
				t.Fatalf("got %v, want a field error on segments[2].media.%s", err, tt.field)
			}
		})
	}
}

// A film sets its segment's length, starts a little ahead so every screen
// starts it together, resumes the same way, and takes no added time.
func TestAFilmIsItsSegmentsClock(t *testing.T) {
	show := showWithFilm(t, 512_345)
	if g := show.Segments[2]; g.DurationSec != 513 || g.Duration() != 512345*time.Millisecond {
		t.Fatalf("segment: %d s, duration %v; want 513 s planned and the film's 512.345 s", g.DurationSec, g.Duration())
	}
	st := controller.NewState(1)
	now := t0
	step := func(c controller.Command) controller.State {
		t.Helper()
		next, _, err := controller.Apply(show, st, c, now)
		if err != nil {
			t.Fatalf("%s: %v", c.Type, err)
		}
		st = next
		return next
	}
	step(controller.Command{Type: controller.CmdGoto, Segment: show.Segments[2].ID})
	if st.Timer.DurationMs != 512_345 {
		t.Errorf("the clock counts %d ms, want the film's", st.Timer.DurationMs)
	}
	step(controller.Command{Type: controller.CmdStart})
	if lead := st.Timer.StartedAt - controller.UnixMs(now); lead != controller.MediaLead.Milliseconds() {
		t.Errorf("the film starts %d ms ahead, want %v", lead, controller.MediaLead)
	}
	now = now.Add(10 * time.Second)
	step(controller.Command{Type: controller.CmdPause})
	if at := st.Timer.Elapsed(now); at != 9500*time.Millisecond {
		t.Errorf("paused at %v of the film, want 9.5 s", at)
	}
	now = now.Add(time.Minute)
	step(controller.Command{Type: controller.CmdResume})
	if at := st.Timer.Elapsed(now.Add(controller.MediaLead)); at != 9500*time.Millisecond {
		t.Errorf("resumes at %v of the film, want 9.5 s at the scheduled instant", at)
	}
	if _, _, err := controller.Apply(show, st, controller.Command{Type: controller.CmdAddTime, Seconds: 60}, now); err == nil {
		t.Error("time was added to a film")
	}
	// Moving on from a running segment starts the film MediaLead later;
	// a speech starts at once.
	step(controller.Command{Type: controller.CmdPrevious})
	if st.Timer.StartedAt != controller.UnixMs(now) {
		t.Errorf("the speech starts %d ms late", st.Timer.StartedAt-controller.UnixMs(now))
	}
	step(controller.Command{Type: controller.CmdNext})
	if lead := st.Timer.StartedAt - controller.UnixMs(now); lead != controller.MediaLead.Milliseconds() {
		t.Errorf("the film after a running speech starts %d ms ahead, want %v", lead, controller.MediaLead)
	}
}
