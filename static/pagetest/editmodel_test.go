package pagetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/phatdong/phatdong/controller"
)

// ruleShow is a valid show with two segments; each case of
// TestEditModelValidateMatchesServer breaks one field of it.
const ruleShow = `{
  "format": "phatdong-show", "version": 1,
  "title": "Lễ phát động", "subtitle": "Bình dân học vụ số", "organizer": "Tỉnh Đoàn", "venue": "Đồng Xoài", "date": "2025-04-14",
  "launch": {"requiredPresses": 2, "windowMs": 5000, "leadMs": 250, "caption": "PHÁT ĐỘNG"},
  "segments": [
    {"id": "van-nghe", "title": "Văn nghệ chào mừng", "kind": "performance", "durationSec": 900, "warnSec": 120, "dangerSec": 30, "onZero": "overtime", "speaker": "", "notes": ""},
    {"id": "phat-dong", "title": "Bấm nút phát động", "kind": "launch", "durationSec": 60, "warnSec": 10, "dangerSec": 5, "onZero": "hold", "speaker": "Lãnh đạo UBND tỉnh", "notes": "Chờ hiệu lệnh."}
  ]
}`

// ruleCase breaks ruleShow in one place; field is the field both the
// editor and the server must name, "" when both must accept the show.
// also lists the fields that the broken one makes wrong in turn (a warning
// above a negative duration): the server stops at its first error, the
// editor lists every error, so only the editor names them.
type ruleCase struct {
	name  string
	field string
	edit  func(s map[string]any)
	also  []string
}

// seg is segment i of a decoded show.
func seg(s map[string]any, i int) map[string]any {
	return s["segments"].([]any)[i].(map[string]any)
}

// launchOf is the launch settings of a decoded show.
func launchOf(s map[string]any) map[string]any { return s["launch"].(map[string]any) }

var ruleCases = []ruleCase{
	{"valid", "", func(map[string]any) {}, nil},
	{"valid, optional fields empty", "", func(s map[string]any) {
		s["subtitle"], s["organizer"], s["venue"], s["date"] = "", "", "", ""
		launchOf(s)["caption"] = ""
	}, nil},
	{"valid, limits reached", "", func(s map[string]any) {
		s["title"] = strings.Repeat("ệ", controller.MaxTitleLen)
		l := launchOf(s)
		l["requiredPresses"], l["windowMs"], l["leadMs"] = controller.MaxRequiredPress, controller.MaxWindowMs, controller.MaxLeadMs
		g := seg(s, 0)
		g["durationSec"], g["warnSec"], g["dangerSec"] = controller.MaxSegmentSec, controller.MaxSegmentSec, controller.MaxSegmentSec
		seg(s, 1)["notes"] = strings.Repeat("ư", controller.MaxNotesLen)
	}, nil},
	{"valid, warn and danger 0", "", func(s map[string]any) { g := seg(s, 1); g["warnSec"], g["dangerSec"] = 0, 0 }, nil},
	{"valid, launch settings 0 take the defaults", "", func(s map[string]any) {
		l := launchOf(s)
		l["requiredPresses"], l["windowMs"], l["leadMs"] = 0, 0, 0
	}, nil},
	{"valid, launch settings absent take the defaults", "", func(s map[string]any) {
		l := launchOf(s)
		delete(l, "requiredPresses")
		delete(l, "windowMs")
		delete(l, "leadMs")
	}, nil},
	{"title empty", "title", func(s map[string]any) { s["title"] = "" }, nil},
	{"title blank", "title", func(s map[string]any) { s["title"] = "   " }, nil},
	{"title too long", "title", func(s map[string]any) { s["title"] = strings.Repeat("ệ", controller.MaxTitleLen+1) }, nil},
	{"subtitle too long", "subtitle", func(s map[string]any) { s["subtitle"] = strings.Repeat("a", controller.MaxTitleLen+1) }, nil},
	{"organizer too long", "organizer", func(s map[string]any) { s["organizer"] = strings.Repeat("a", controller.MaxTitleLen+1) }, nil},
	{"venue too long", "venue", func(s map[string]any) { s["venue"] = strings.Repeat("a", controller.MaxTitleLen+1) }, nil},
	{"caption too long", "launch.caption", func(s map[string]any) { launchOf(s)["caption"] = strings.Repeat("Đ", controller.MaxTitleLen+1) }, nil},
	{"date not a date", "date", func(s map[string]any) { s["date"] = "14/04/2025" }, nil},
	{"date with no such day", "date", func(s map[string]any) { s["date"] = "2025-02-30" }, nil},
	{"date with no such month", "date", func(s map[string]any) { s["date"] = "2025-13-01" }, nil},
	{"start time", "", func(s map[string]any) { s["startTime"] = "07:30" }, nil},
	{"start time at midnight", "", func(s map[string]any) { s["startTime"] = "00:00" }, nil},
	{"start time with spaces", "", func(s map[string]any) { s["startTime"] = " 23:59 " }, nil},
	{"start time without a zero", "startTime", func(s map[string]any) { s["startTime"] = "7:30" }, nil},
	{"start time past the day", "startTime", func(s map[string]any) { s["startTime"] = "24:00" }, nil},
	{"start time with seconds", "startTime", func(s map[string]any) { s["startTime"] = "07:30:00" }, nil},
	{"start time in words", "startTime", func(s map[string]any) { s["startTime"] = "7 giờ 30" }, nil},
	{"date on a day a leap year only has", "date", func(s map[string]any) { s["date"] = "2025-02-29" }, nil},
	{"valid, leap day", "", func(s map[string]any) { s["date"] = "2024-02-29" }, nil},
	{"required presses above 16", "launch.requiredPresses", func(s map[string]any) { launchOf(s)["requiredPresses"] = controller.MaxRequiredPress + 1 }, nil},
	{"required presses negative", "launch.requiredPresses", func(s map[string]any) { launchOf(s)["requiredPresses"] = -1 }, nil},
	{"window negative", "launch.windowMs", func(s map[string]any) { launchOf(s)["windowMs"] = -1 }, nil},
	{"window too long", "launch.windowMs", func(s map[string]any) { launchOf(s)["windowMs"] = controller.MaxWindowMs + 1 }, nil},
	{"lead too short", "launch.leadMs", func(s map[string]any) { launchOf(s)["leadMs"] = controller.MinLeadMs - 1 }, nil},
	{"lead too long", "launch.leadMs", func(s map[string]any) { launchOf(s)["leadMs"] = controller.MaxLeadMs + 1 }, nil},
	{"no segments", "segments", func(s map[string]any) { s["segments"] = []any{} }, nil},
	{"too many segments", "segments", func(s map[string]any) {
		many := make([]any, controller.MaxSegments+1)
		for i := range many {
			many[i] = map[string]any{"id": fmt.Sprintf("m%d", i), "title": "Mục", "kind": "other", "durationSec": 60, "warnSec": 10, "dangerSec": 5, "onZero": "overtime"}
		}
		s["segments"] = many
	}, nil},
	{"id empty", "segments[1].id", func(s map[string]any) { seg(s, 1)["id"] = "" }, nil},
	{"id with capitals", "segments[0].id", func(s map[string]any) { seg(s, 0)["id"] = "Van-nghe" }, nil},
	{"id with a leading dash", "segments[0].id", func(s map[string]any) { seg(s, 0)["id"] = "-van" }, nil},
	{"id too long", "segments[0].id", func(s map[string]any) { seg(s, 0)["id"] = strings.Repeat("a", 65) }, nil},
	{"id duplicated", "segments[1].id", func(s map[string]any) { seg(s, 1)["id"] = "van-nghe" }, nil},
	{"segment title empty", "segments[0].title", func(s map[string]any) { seg(s, 0)["title"] = "" }, nil},
	{"segment title too long", "segments[1].title", func(s map[string]any) { seg(s, 1)["title"] = strings.Repeat("ộ", controller.MaxTitleLen+1) }, nil},
	{"kind unknown", "segments[0].kind", func(s map[string]any) { seg(s, 0)["kind"] = "dance" }, nil},
	{"onZero unknown", "segments[1].onZero", func(s map[string]any) { seg(s, 1)["onZero"] = "stop" }, nil},
	{"duration 0", "segments[0].durationSec", func(s map[string]any) { g := seg(s, 0); g["durationSec"], g["warnSec"], g["dangerSec"] = 0, 0, 0 }, nil},
	{"duration negative", "segments[0].durationSec", func(s map[string]any) { g := seg(s, 0); g["durationSec"], g["warnSec"], g["dangerSec"] = -5, 0, 0 }, []string{"segments[0].warnSec"}},
	{"duration above 24 h", "segments[0].durationSec", func(s map[string]any) { seg(s, 0)["durationSec"] = controller.MaxSegmentSec + 1 }, nil},
	{"warn negative", "segments[0].warnSec", func(s map[string]any) { g := seg(s, 0); g["warnSec"], g["dangerSec"] = -1, 0 }, []string{"segments[0].dangerSec"}},
	{"warn above the duration", "segments[1].warnSec", func(s map[string]any) { seg(s, 1)["warnSec"] = 61 }, nil},
	{"danger negative", "segments[0].dangerSec", func(s map[string]any) { seg(s, 0)["dangerSec"] = -1 }, nil},
	{"danger above warn", "segments[1].dangerSec", func(s map[string]any) { seg(s, 1)["dangerSec"] = 11 }, nil},
	{"speaker too long", "segments[1].speaker", func(s map[string]any) { seg(s, 1)["speaker"] = strings.Repeat("a", controller.MaxTitleLen+1) }, nil},
	{"notes too long", "segments[1].notes", func(s map[string]any) { seg(s, 1)["notes"] = strings.Repeat("ư", controller.MaxNotesLen+1) }, nil},
}

// TestEditModelValidateMatchesServer runs the editor's validate()
// (static/js/edit-model.js) and the server's controller.ParseShow on the
// same show files, each valid or broken in exactly one field, and requires
// the same verdict: both accept, or both name that one field (the editor
// lists every error it finds, so it must list that field and no other but
// the case's also).
func TestEditModelValidateMatchesServer(t *testing.T) {
	shows := make([]json.RawMessage, len(ruleCases))
	for i, c := range ruleCases {
		var s map[string]any
		if err := json.Unmarshal([]byte(ruleShow), &s); err != nil {
			t.Fatal(err)
		}
		c.edit(s)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		shows[i] = b
	}
	arg, err := json.Marshal(shows)
	if err != nil {
		t.Fatal(err)
	}
	tab := openModule(t, "edit-model.js")
	js, err := chromedp.Run(tab, chromedp.Evaluate[[][]string](fmt.Sprintf(
		`((shows) => shows.map((s) => mod.validate(s).map((e) => e.field)))(%s)`, arg)))
	if err != nil {
		t.Fatalf("running validate() in the page: %v", err)
	}
	if len(js) != len(ruleCases) {
		t.Fatalf("validate() ran on %d shows, want %d", len(js), len(ruleCases))
	}
	for i, c := range ruleCases {
		goField, ok := serverField(shows[i])
		if !ok {
			t.Errorf("%s: the server refused the show without a field error", c.name)
			continue
		}
		jsFields := js[i]
		if jsFields == nil {
			jsFields = []string{}
		}
		want := []string{}
		if c.field != "" {
			want = append([]string{c.field}, c.also...)
		}
		if goField != c.field {
			t.Errorf("%s: the server names %q, the case expects %q", c.name, goField, c.field)
		}
		if !slices.Equal(jsFields, want) {
			t.Errorf("%s: the editor names %q, the server names %q", c.name, jsFields, goField)
		}
	}
}

// serverField is the field the server names when it refuses the show file
// ("" when it accepts it); ok is false for a refusal without a field error.
func serverField(show []byte) (field string, ok bool) {
	_, err := controller.ParseShow(show)
	if err == nil {
		return "", true
	}
	var e *controller.Error
	if !errors.As(err, &e) || e.Field == "" {
		return "", false
	}
	return e.Field, true
}
